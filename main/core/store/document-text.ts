// A document's text, stored in pieces of about TEXT_CHUNK_CHARS (table document_text, migration 9
// in schema.ts) rather than as one string (issue 18): a book of hundreds of MB is then written as
// it is ingested and read back a range at a time, and nothing needs the whole text in memory.
// Offsets count UTF-16 code units, as the Document's do; a piece never ends between the two
// halves of a surrogate pair, since SQLite stores text as UTF-8 and a lone half would not survive.
import { detach } from '../text/detach.js';
import type { Db } from './db.js';

/** A MiB of characters: few rows for a book, and a range read touches one or two of them. */
export const TEXT_CHUNK_CHARS = 2 ** 20;

/** Where a piece of `text` ending near `at` may end: never inside a surrogate pair. */
export function pieceEnd(text: string, at: number): number {
  const end = Math.min(Math.max(at, 0), text.length);
  if (end === 0) return 0;
  const before = text.charCodeAt(end - 1);
  return before >= 0xd800 && before <= 0xdbff ? end - 1 : end;
}

/**
 * Appends a document's text as it is produced, writing a row each time TEXT_CHUNK_CHARS have
 * gathered. The caller's transaction makes the rows all or nothing with the document.
 */
export class TextWriter {
  private parts: string[] = [];
  private buffered = 0;
  private written = 0;
  private readonly insert;

  constructor(
    db: Db,
    private readonly documentId: number,
    private readonly chunkChars: number = TEXT_CHUNK_CHARS,
  ) {
    this.insert = db.prepare('INSERT INTO document_text (document_id, "start", text) VALUES (?, ?, ?)');
  }

  /** Characters appended so far. */
  get length(): number {
    return this.written + this.buffered;
  }

  push(text: string): void {
    if (text.length === 0) return;
    this.parts.push(text);
    this.buffered += text.length;
    if (this.buffered >= this.chunkChars) this.flush(false);
  }

  /** Writes what is left; returns the text's length. */
  finish(): number {
    this.flush(true);
    return this.written;
  }

  private flush(all: boolean): void {
    let joined = this.parts.length === 1 ? this.parts[0] : this.parts.join('');
    while (joined.length >= this.chunkChars || (all && joined.length > 0)) {
      let end = pieceEnd(joined, Math.min(joined.length, this.chunkChars));
      if (end === 0) {
        // A piece of one character met a surrogate pair: it goes whole, once its second half came.
        if (!all && joined.length < 2) break;
        end = Math.min(joined.length, 2);
      }
      this.insert.run(this.documentId, this.written, joined.slice(0, end));
      this.written += end;
      joined = joined.slice(end);
    }
    this.parts = joined.length > 0 ? [joined] : [];
    this.buffered = joined.length;
  }
}

/** Stores a whole text for a document (formats parsed in memory, and the migration). */
export function writeText(db: Db, documentId: number, text: string): number {
  const writer = new TextWriter(db, documentId);
  writer.push(text);
  return writer.finish();
}

interface Piece {
  start: number;
  text: string;
}

/** The stored pieces of a document's text in order, one row at a time. */
export function textPieces(db: Db, documentId: number): IterableIterator<Piece> {
  return db.prepare('SELECT "start", text FROM document_text WHERE document_id = ? ORDER BY "start"').iterate(documentId) as IterableIterator<Piece>;
}

/** The whole text, joined: only for documents known to be small, or callers that need it whole. */
export function readWholeText(db: Db, documentId: number): string {
  const parts: string[] = [];
  for (const p of textPieces(db, documentId)) parts.push(p.text);
  return parts.length === 1 ? parts[0] : parts.join('');
}

/** Characters [start, end) of a document's text, reading only the pieces they lie in. */
export function readTextRange(db: Db, documentId: number, start: number, end: number): string {
  return end <= start ? '' : joinRange(piecesOver(db, documentId, start, end), start, end);
}

/** The rows that hold characters [start, end): the one holding `start`, and those after it before `end`. */
function piecesOver(db: Db, documentId: number, start: number, end: number): Piece[] {
  return db
    .prepare(
      `SELECT "start", text FROM document_text WHERE document_id = ? AND "start" < ?
         AND "start" >= coalesce((SELECT max("start") FROM document_text WHERE document_id = ? AND "start" <= ?), 0)
       ORDER BY "start"`,
    )
    .all(documentId, end, documentId, start) as Piece[];
}

/**
 * The range as a string of its own (a join is one already): a heading sliced from a row would
 * keep the row's MiB alive, and `lectern info` on a 50 MiB text held every row through its 4,464
 * headings (110 MB, 2026-12-05).
 */
function joinRange(rows: Piece[], start: number, end: number): string {
  const parts = rows.map((r) => r.text.slice(Math.max(0, start - r.start), Math.max(0, end - r.start)));
  return parts.length === 1 ? detach(parts[0]) : parts.join('');
}

/**
 * A stored text read by ranges, for consumers that walk it front to back (the reader's
 * tokenizer): it keeps the last piece it read, so a walk reads each row about once.
 */
export class StoredText {
  private cached: Piece | null = null;
  private bytes: number | null = null;

  constructor(
    private readonly db: Db,
    private readonly documentId: number,
    readonly length: number,
  ) {}

  slice(from: number, to: number): string {
    const start = Math.max(0, from);
    const end = Math.min(this.length, to);
    if (end <= start) return '';
    const c = this.cached;
    if (c !== null && start >= c.start && end <= c.start + c.text.length) return joinRange([c], start, end);
    const rows = piecesOver(this.db, this.documentId, start, end);
    this.cached = rows[rows.length - 1] ?? null;
    return joinRange(rows, start, end);
  }

  /** The text's length in UTF-8 bytes, counted piece by piece once (the reader asks for it more than once). */
  utf8Bytes(): number {
    if (this.bytes === null) {
      let bytes = 0;
      for (const p of textPieces(this.db, this.documentId)) bytes += Buffer.byteLength(p.text, 'utf8');
      this.bytes = bytes;
    }
    return this.bytes;
  }
}
