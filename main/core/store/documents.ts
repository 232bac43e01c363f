// Documents, their blocks and passages (tables from migrations 1 and 7 in schema.ts). A document is
// written in one transaction together with its full-text rows, so the library never holds half
// a document; deleting it removes everything that hangs off it.
import type { BlockKind, Document, DocumentKind, PageBreak } from '../document.js';
import type { Layout } from '../text/locate.js';
import { parseNotes, type IngestNote } from '../document-notes.js';
import type { Passage } from '../text/passages.js';
import type { Db } from './db.js';
import { indexPassage } from './fts.js';
import { LecternError } from '../../../common/errors.js';
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
    const addedAt = new Date().toISOString();
    const { lastInsertRowid } = db
      .prepare(
        `INSERT INTO documents (sha256, kind, title, author, pages, chars, bytes, file_name, source_path, text, added_at, ingest_notes)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        input.sha256,
        doc.kind,
        doc.title,
        doc.author,
        doc.pages,
        doc.text.length,
        input.bytes,
        input.fileName,
        input.sourcePath,
        doc.text,
        addedAt,
        JSON.stringify(doc.notes),
      );
    const id = Number(lastInsertRowid);
    const block = db.prepare(
      'INSERT INTO blocks (document_id, ordinal, kind, level, page, "start", "end") VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    doc.blocks.forEach((b, i) => block.run(id, i, b.kind, b.level, b.page, b.start, b.end));
    const pageBreak = db.prepare('INSERT OR IGNORE INTO page_breaks (document_id, "start", page) VALUES (?, ?, ?)');
    for (const b of doc.pageBreaks ?? []) pageBreak.run(id, b.start, b.page);
    const passage = db.prepare(
      'INSERT INTO passages (document_id, ordinal, "start", "end", page, section, text, unreadable) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const p of input.passages) {
      const unreadable = input.unreadablePassages?.has(p.ordinal) === true ? 1 : 0;
      const r = passage.run(id, p.ordinal, p.start, p.end, p.page, p.section, p.text, unreadable);
      indexPassage(db, Number(r.lastInsertRowid), p.text);
      if (p.ordinal > 0 && p.ordinal % 1024 === 0) onProgress?.(p.ordinal, input.passages.length);
    }
    const row = getDocument(db, id);
    if (row === null) throw new Error(`document ${id} vanished while it was being written`);
    return row;
  });
  return write.immediate();
}

/** The document exactly as it was stored: the same text, and blocks with the same offsets. */
export function loadDocument(db: Db, id: number): Document {
  const r = db.prepare('SELECT kind, title, author, pages, text, ingest_notes FROM documents WHERE id = ?').get(id) as
    | { kind: DocumentKind; title: string; author: string | null; pages: number | null; text: string; ingest_notes: string }
    | undefined;
  if (r === undefined) throw new DocumentNotFound(id);
  const blocks = db
    .prepare('SELECT kind, level, page, "start", "end" FROM blocks WHERE document_id = ? ORDER BY ordinal')
    .all(id) as BlockRecord[];
  const pageBreaks = loadPageBreaks(db, id);
  return {
    kind: r.kind,
    title: r.title,
    author: r.author,
    pages: r.pages,
    text: r.text,
    blocks: blocks.map((b) => ({ ...b, text: r.text.slice(b.start, b.end) })),
    ...(pageBreaks.length > 0 ? { pageBreaks } : {}),
    notes: parseNotes(r.ingest_notes),
  };
}

function loadPageBreaks(db: Db, id: number): PageBreak[] {
  return db.prepare('SELECT "start", page FROM page_breaks WHERE document_id = ? ORDER BY "start"').all(id) as PageBreak[];
}

/**
 * What a citation needs to say where an offset is (text/locate.ts): every block's bounds and
 * page, the headings' text, and the pages that begin inside blocks.
 */
export function loadLayout(db: Db, id: number): Layout {
  // The text is sliced here rather than by SQLite's substr, which counts code points where the
  // offsets count UTF-16 units.
  const r = db.prepare('SELECT text FROM documents WHERE id = ?').get(id) as { text: string } | undefined;
  if (r === undefined) throw new DocumentNotFound(id);
  const blocks = db
    .prepare('SELECT kind, level, page, "start", "end" FROM blocks WHERE document_id = ? ORDER BY ordinal')
    .all(id) as BlockRecord[];
  return {
    blocks: blocks.map((b) => ({ ...b, heading: b.kind === 'heading' ? r.text.slice(b.start, b.end) : null })),
    pageBreaks: loadPageBreaks(db, id),
  };
}

/** Only the text: what the model reads (a book's blocks and their slices are tens of MB). */
export function loadDocumentText(db: Db, id: number): string {
  const r = db.prepare('SELECT text FROM documents WHERE id = ?').get(id) as { text: string } | undefined;
  if (r === undefined) throw new DocumentNotFound(id);
  return r.text;
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
