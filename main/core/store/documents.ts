// Documents, their text, blocks and passages (tables from migrations 1, 7 and 9 in schema.ts). A document is
// written in one transaction together with its full-text rows, so the library never holds half
// a document; deleting it removes everything that hangs off it.
import type { Block, BlockKind, Document, DocumentKind, PageBreak } from '../document.js';
import { lastIndexAtOrBefore } from '../sorted.js';
import { headingPaths, Locator, type Layout, type Location } from '../text/locate.js';
import { parseNotes, type IngestNote } from '../document-notes.js';
import type { Passage } from '../text/passages.js';
import type { Db } from './db.js';
import { indexPassage } from './fts.js';
import { readWholeText, StoredText, TextWriter } from './document-text.js';
import { LecternError } from '../../../common/errors.js';
import { rejections } from '../errors.js';
import type { DocumentInfo } from '../../../common/types.js';

/**
 * A document as the store keeps it: the API's DocumentInfo fields (common/types.ts, which documents
 * them) plus the row id, the detected kind and where the file was added from.
 */
export interface DocumentRow extends Pick<DocumentInfo, 'title' | 'author' | 'pages' | 'chars' | 'bytes' | 'fileName' | 'addedAt'> {
  id: number;
  sha256: string;
  kind: DocumentKind;
  sourcePath: string | null;
  notes: IngestNote[];
}

export interface NewDocument {
  sha256: string;
  bytes: number;
  fileName: string | null;
  sourcePath: string | null;
  doc: Document;
  passages: Passage[];
  /** Ordinals of passages whose text is not language: stored, never searched or cited. */
  unreadablePassages?: ReadonlySet<number>;
}

export class DocumentNotFound extends LecternError {
  /** The row id, or the SHA-256 the API names documents by. */
  readonly id: number | string;
  constructor(id: number | string) {
    super('not-found', `no document ${id} in the library`);
    this.name = 'DocumentNotFound';
    this.id = id;
  }
}

interface DocumentRecord {
  id: number;
  sha256: string;
  kind: DocumentKind;
  title: string;
  author: string | null;
  pages: number | null;
  chars: number;
  bytes: number;
  file_name: string | null;
  source_path: string | null;
  added_at: string;
  ingest_notes: string;
}

interface BlockRecord {
  kind: BlockKind;
  level: number;
  page: number | null;
  start: number;
  end: number;
}

const ROW_COLUMNS = 'id, sha256, kind, title, author, pages, chars, bytes, file_name, source_path, added_at, ingest_notes';

function toRow(r: DocumentRecord): DocumentRow {
  return {
    id: r.id,
    sha256: r.sha256,
    kind: r.kind,
    title: r.title,
    author: r.author,
    pages: r.pages,
    chars: r.chars,
    bytes: r.bytes,
    fileName: r.file_name,
    sourcePath: r.source_path,
    addedAt: r.added_at,
    notes: parseNotes(r.ingest_notes),
  };
}

export function findDocumentBySha(db: Db, sha256: string): DocumentRow | null {
  const r = db.prepare(`SELECT ${ROW_COLUMNS} FROM documents WHERE sha256 = ?`).get(sha256) as DocumentRecord | undefined;
  return r === undefined ? null : toRow(r);
}

export function getDocument(db: Db, id: number): DocumentRow | null {
  const r = db.prepare(`SELECT ${ROW_COLUMNS} FROM documents WHERE id = ?`).get(id) as DocumentRecord | undefined;
  return r === undefined ? null : toRow(r);
}

export function listDocuments(db: Db): DocumentRow[] {
  const rows = db.prepare(`SELECT ${ROW_COLUMNS} FROM documents ORDER BY added_at, id`).all() as DocumentRecord[];
  return rows.map(toRow);
}

/**
 * Stores a document with its blocks, passages and full-text rows, all or nothing. The same
 * content (same SHA-256) is stored once: adding it again returns the existing row unchanged,
 * so two windows adding one file at the same moment both end up with the same document.
 */
export function insertDocument(db: Db, input: NewDocument, onProgress?: (passagesDone: number, passagesTotal: number) => void): DocumentRow {
  const { doc } = input;
  const write = db.transaction((): DocumentRow => {
    const existing = findDocumentBySha(db, input.sha256);
    if (existing !== null) return existing;
    const writer = new DocumentWriter(db, { ...input, kind: doc.kind, title: doc.title, author: doc.author, pages: doc.pages });
    writer.text.push(doc.text);
    doc.blocks.forEach((b) => writer.block(b));
    for (const b of doc.pageBreaks ?? []) writer.pageBreak(b);
    for (const p of input.passages) {
      writer.passage(p, input.unreadablePassages?.has(p.ordinal) === true);
      if (p.ordinal > 0 && p.ordinal % 1024 === 0) onProgress?.(p.ordinal, input.passages.length);
    }
    return writer.finish({ title: doc.title, author: doc.author, notes: doc.notes });
  });
  return write.immediate();
}

/** What a document's row holds before its text is known. */
export interface DocumentHead {
  sha256: string;
  bytes: number;
  fileName: string | null;
  sourcePath: string | null;
  kind: DocumentKind;
  title: string;
  author: string | null;
  pages: number | null;
}

/**
 * Writes one document piece by piece: its row first, then text, blocks, page breaks and passages
 * as they come (a text of hundreds of MB is stored while it is parsed), then the length and notes.
 * The caller holds one transaction around all of it, so the library never holds half a document.
 */
export class DocumentWriter {
  readonly id: number;
  readonly text: TextWriter;
  private blocks = 0;
  private readonly insertBlock;
  private readonly insertPageBreak;
  private readonly insertPassage;

  constructor(
    private readonly db: Db,
    head: DocumentHead,
  ) {
    const { lastInsertRowid } = db
      .prepare(
        `INSERT INTO documents (sha256, kind, title, author, pages, chars, bytes, file_name, source_path, added_at)
         VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?)`,
      )
      .run(head.sha256, head.kind, head.title, head.author, head.pages, head.bytes, head.fileName, head.sourcePath, new Date().toISOString());
    this.id = Number(lastInsertRowid);
    this.text = new TextWriter(db, this.id);
    this.insertBlock = db.prepare('INSERT INTO blocks (document_id, ordinal, kind, level, page, "start", "end") VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.insertPageBreak = db.prepare('INSERT OR IGNORE INTO page_breaks (document_id, "start", page) VALUES (?, ?, ?)');
    this.insertPassage = db.prepare(
      'INSERT INTO passages (document_id, ordinal, "start", "end", page, section, text, unreadable) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
  }

  /** Appends a block (its text goes through `text`); returns its ordinal. */
  block(b: Omit<Block, 'text'>): number {
    const ordinal = this.blocks++;
    this.insertBlock.run(this.id, ordinal, b.kind, b.level, b.page, b.start, b.end);
    return ordinal;
  }

  /** A heading's level, once the whole document shows which levels there are. */
  setLevel(ordinal: number, level: number): void {
    this.db.prepare('UPDATE blocks SET level = ? WHERE document_id = ? AND ordinal = ?').run(level, this.id, ordinal);
  }

  pageBreak(b: PageBreak): void {
    this.insertPageBreak.run(this.id, b.start, b.page);
  }

  passage(p: Passage, unreadable = false): void {
    const r = this.insertPassage.run(this.id, p.ordinal, p.start, p.end, p.page, p.section, p.text, unreadable ? 1 : 0);
    indexPassage(this.db, Number(r.lastInsertRowid), p.text);
  }

  /** Writes the rest of the text and what is known only at the end; returns the stored row. */
  finish(meta: { title: string; author: string | null; notes: IngestNote[] }): DocumentRow {
    const chars = this.text.finish();
    this.db
      .prepare('UPDATE documents SET chars = ?, title = ?, author = ?, ingest_notes = ? WHERE id = ?')
      .run(chars, meta.title, meta.author, JSON.stringify(meta.notes), this.id);
    const row = getDocument(this.db, this.id);
    if (row === null) throw new Error(`document ${this.id} vanished while it was being written`);
    return row;
  }
}

/**
 * Past this many characters a document is not loaded whole: what needs it so (the summary, the
 * sentence index that answers use, `lectern text --json`) refuses it instead. Measured 2026-12-05
 * on a generated 50 MiB text (52M characters): the summary peaked at 838 MB in 41 s, the sentence
 * index at 953 MB in 27 s, so at this limit they stay near 1.2 GB. Adding, reading, search, info
 * and `lectern text` work by ranges at any size up to the plain-text limit (ingest/index.ts).
 */
export const MAX_WHOLE_CHARS = 64 * 2 ** 20;

/** loadDocument for `purpose` ("a summary"), refused past MAX_WHOLE_CHARS with a reason the user can act on. */
export function loadWholeDocument(db: Db, id: number, purpose: string): Document {
  checkWhole(documentChars(db, id), purpose);
  return loadDocument(db, id);
}

/** The document exactly as it was stored: the same text, and blocks with the same offsets. */
export function loadDocument(db: Db, id: number): Document {
  const r = db.prepare('SELECT kind, title, author, pages, ingest_notes FROM documents WHERE id = ?').get(id) as
    | { kind: DocumentKind; title: string; author: string | null; pages: number | null; ingest_notes: string }
    | undefined;
  if (r === undefined) throw new DocumentNotFound(id);
  const text = readWholeText(db, id);
  const blocks = db
    .prepare('SELECT kind, level, page, "start", "end" FROM blocks WHERE document_id = ? ORDER BY ordinal')
    .all(id) as BlockRecord[];
  const pageBreaks = loadPageBreaks(db, id);
  return {
    kind: r.kind,
    title: r.title,
    author: r.author,
    pages: r.pages,
    text,
    blocks: blocks.map((b) => ({ ...b, text: text.slice(b.start, b.end) })),
    ...(pageBreaks.length > 0 ? { pageBreaks } : {}),
    notes: parseNotes(r.ingest_notes),
  };
}

function loadPageBreaks(db: Db, id: number): PageBreak[] {
  return db.prepare('SELECT "start", page FROM page_breaks WHERE document_id = ? ORDER BY "start"').all(id) as PageBreak[];
}

/**
 * What a citation needs to say where an offset is (text/locate.ts): every block's bounds and
 * page, the headings' text, and the pages that begin inside blocks. Only the headings' text is
 * read, piece by piece in text order, so a document of any length costs its blocks here.
 */
export function loadLayout(db: Db, id: number): Layout {
  const chars = documentChars(db, id);
  const blocks = db
    .prepare('SELECT kind, level, page, "start", "end" FROM blocks WHERE document_id = ? ORDER BY ordinal')
    .all(id) as BlockRecord[];
  const text = new StoredText(db, id, chars);
  return {
    blocks: blocks.map((b) => ({ ...b, heading: b.kind === 'heading' ? text.slice(b.start, b.end) : null })),
    pageBreaks: loadPageBreaks(db, id),
  };
}

/**
 * Where offsets of a document are, as text/locate.ts's Locator says, without loading every block:
 * a document without pages (text, Markdown, DOCX, EPUB: the ones that can have millions of
 * blocks) loads its headings only and finds an offset's block by a binary search over the
 * blocks' primary key. Paged documents (PDF, bounded by their pages) use the Locator itself.
 */
export function locatorOf(db: Db, id: number): { locate(offset: number): Location } {
  const pages = db.prepare('SELECT pages FROM documents WHERE id = ?').pluck().get(id) as number | null | undefined;
  if (pages === undefined) throw new DocumentNotFound(id);
  if (pages !== null) return new Locator(loadLayout(db, id));
  const { blocks: count, headings } = loadOutline(db, id);
  const ordinals = db
    .prepare(`SELECT ordinal FROM blocks WHERE document_id = ? AND kind = 'heading' ORDER BY ordinal`)
    .pluck()
    .all(id) as number[];
  const paths = headingPaths(headings);
  const startOf = db.prepare('SELECT "start" FROM blocks WHERE document_id = ? AND ordinal = ?').pluck();
  return {
    locate(offset: number): Location {
      // The last block starting at or before the offset (blocks are in text order, starts rising).
      const block = lastIndexAtOrBefore(count, (i) => startOf.get(id, i) as number, offset);
      if (block < 0) return { page: null, sectionPath: [], paragraph: null };
      // Its section's heading, the last at or before it; the paragraph counts from there, as the Locator's do.
      const h = lastIndexAtOrBefore(ordinals.length, (i) => ordinals[i], block);
      const heading = h < 0 ? -1 : ordinals[h];
      return { page: null, sectionPath: h < 0 ? [] : paths[h], paragraph: heading === block ? null : block - heading };
    },
  };
}

/** How many blocks a document has, and its headings with their text (what an outline shows). */
export function loadOutline(db: Db, id: number): { blocks: number; headings: Block[] } {
  const text = storedText(db, id);
  const blocks = db.prepare('SELECT count(*) FROM blocks WHERE document_id = ?').pluck().get(id) as number;
  const headings = db
    .prepare(`SELECT kind, level, page, "start", "end" FROM blocks WHERE document_id = ? AND kind = 'heading' ORDER BY ordinal`)
    .all(id) as BlockRecord[];
  return { blocks, headings: headings.map((b) => ({ ...b, text: text.slice(b.start, b.end) })) };
}

/** The document's length in characters (UTF-16 code units). */
export function documentChars(db: Db, id: number): number {
  const chars = db.prepare('SELECT chars FROM documents WHERE id = ?').pluck().get(id) as number | undefined;
  if (chars === undefined) throw new DocumentNotFound(id);
  return chars;
}

/** The text for reading it by ranges: what the model reads, a piece at a time. */
export function storedText(db: Db, id: number): StoredText {
  return new StoredText(db, id, documentChars(db, id));
}

/**
 * Only the text, whole, for `purpose` (scoring tokenizes it whole; so does an answer's re-read):
 * refused past MAX_WHOLE_CHARS as loadWholeDocument is.
 */
export function loadDocumentText(db: Db, id: number, purpose: string): string {
  checkWhole(documentChars(db, id), purpose);
  return readWholeText(db, id);
}

/** Whether a document of `chars` characters may be loaded whole (MAX_WHOLE_CHARS). */
export function fitsWhole(chars: number): boolean {
  return chars <= MAX_WHOLE_CHARS;
}

function checkWhole(chars: number, purpose: string): void {
  if (!fitsWhole(chars)) {
    throw rejections.tooLarge(
      `${purpose} needs the whole text in memory, and this document has ${chars.toLocaleString('en-US')} characters (the limit is ${MAX_WHOLE_CHARS.toLocaleString('en-US')}); search, info, text and read work at any size`,
    );
  }
}

/** Passages' character ranges without their text, for mapping them to tokens. */
export function loadPassageSpans(db: Db, id: number): Pick<Passage, 'ordinal' | 'start' | 'end'>[] {
  return db
    .prepare('SELECT ordinal, "start", "end" FROM passages WHERE document_id = ? ORDER BY ordinal')
    .all(id) as Pick<Passage, 'ordinal' | 'start' | 'end'>[];
}

export function loadPassages(db: Db, id: number): Passage[] {
  return db
    .prepare(
      'SELECT ordinal, "start", "end", page, section, text FROM passages WHERE document_id = ? ORDER BY ordinal',
    )
    .all(id) as Passage[];
}

/** Removes a document; its blocks, passages and full-text rows go with it (cascade + trigger). */
export function deleteDocument(db: Db, id: number): void {
  db.prepare('DELETE FROM documents WHERE id = ?').run(id);
}
