// The full-text index's SQL: what passages_fts holds for a passage, a document's passages that
// match a term and their lengths in the index's tokens, the index's own tokens (or a few terms'
// counts) for any text. Scoring and ranking the passages is core/answer/search.ts's job: BM25
// there uses the searched document's own statistics, never FTS5's bm25(), whose statistics are
// the whole library's (so a document's results would move with what else the library holds).
//
// Chinese is indexed as overlapping character bigrams (text/cjk.ts) and English through the
// porter stemmer. To compare query and passage tokens exactly as the index does, both are run
// through the same tokenizer in a scratch FTS5 table on the connection's temp schema, and the
// tokens read back from an fts5vocab "instance" table.
import { cjkBigrams, isCjkChar } from '../text/cjk.js';
import type { Db } from './db.js';

/** Must match the tokenizer of passages_fts in schema.ts (migration 1). */
const TOKENIZE = `'porter unicode61 remove_diacritics 2'`;

/** The text the index holds for a passage (and the form queries are put in before matching). */
export function ftsBody(text: string): string {
  return cjkBigrams(text.normalize('NFKC'));
}

/** Adds a passage to the full-text index; called inside insertDocument's transaction. */
export function indexPassage(db: Db, passageId: number, text: string): void {
  db.prepare('INSERT INTO passages_fts (rowid, body) VALUES (?, ?)').run(passageId, ftsBody(text));
}

export interface FtsCandidate {
  id: number;
  ordinal: number;
  page: number | null;
  section: string | null;
  start: number;
  end: number;
  text: string;
}

/** A document's passages that may be candidates, with their lengths in the index's tokens. */
export interface DocumentPassages {
  /** Passage id → length. Passages on pages whose text is not language (migration 7) are left out. */
  lengths: Map<number, number>;
  /** The lowest and highest of those ids. */
  lo: number;
  hi: number;
}

export function documentPassages(db: Db, documentId: number): DocumentPassages | null {
  // FTS5 keeps each row's token count in its docsize table as one varint per column (a single
  // column here): the lengths BM25 normalises by, without tokenizing the document again.
  const rows = db
    .prepare(
      `SELECT p.id, d.sz FROM passages p JOIN passages_fts_docsize d ON d.id = p.id
       WHERE p.document_id = ? AND p.unreadable = 0 ORDER BY p.id`,
    )
    .raw()
    .all(documentId) as Array<[number, Uint8Array]>;
  if (rows.length === 0) return null;
  return { lengths: new Map(rows.map(([id, sz]) => [id, firstVarint(sz)])), lo: rows[0][0], hi: rows[rows.length - 1][0] };
}

/** SQLite's variable-length integer (big-endian, seven bits a byte, the ninth byte whole). */
function firstVarint(bytes: Uint8Array): number {
  let v = 0;
  for (let i = 0; i < Math.min(bytes.length, 9); i++) {
    if (i === 8) return v * 256 + bytes[i];
    v = v * 128 + (bytes[i] & 0x7f);
    if ((bytes[i] & 0x80) === 0) return v;
  }
  return v;
}

/** A query term as FTS5 matches it: a word (a phrase of its tokens), or a lone CJK character as a bigram prefix. */
export function ftsMatch(word: string): string {
  return matchesAsPrefix(word) ? `"${word}"*` : `"${word.replace(/"/g, '""')}"`;
}

/** Whether a query word matches as the prefix of the index's tokens: a lone CJK character, which the index holds only inside bigrams. */
export function matchesAsPrefix(word: string): boolean {
  return [...word].length === 1 && isCjkChar(word);
}

/** The ids of the document's passages that match `match` (ftsMatch's form). */
export function passagesMatching(db: Db, passages: DocumentPassages, match: string): number[] {
  // A document's passages are written in one transaction, so their ids form one range; giving
  // FTS5 that range keeps it from reading the term's matches in every other document.
  const ids = db
    .prepare('SELECT rowid FROM passages_fts WHERE passages_fts MATCH ? AND rowid BETWEEN ? AND ?')
    .pluck()
    .all(match, passages.lo, passages.hi) as number[];
  return ids.filter((id) => passages.lengths.has(id));
}

/** The passages with these ids, in the order given. */
export function passagesById(db: Db, ids: number[]): FtsCandidate[] {
  const get = db.prepare('SELECT id, ordinal, page, section, "start" AS start, "end" AS end, text FROM passages WHERE id = ?');
  return ids.map((id) => get.get(id) as FtsCandidate);
}

const scratchReady = new WeakSet<Db>();

/** The scratch table that tokenizes any text as passages_fts does, and its token instances. */
function ensureScratch(db: Db): void {
  if (scratchReady.has(db)) return;
  db.exec(`
    CREATE VIRTUAL TABLE IF NOT EXISTS temp.lectern_tokenizer USING fts5 (body, content = '', tokenize = ${TOKENIZE});
    CREATE VIRTUAL TABLE IF NOT EXISTS temp.lectern_tokenizer_tokens USING fts5vocab (temp, lectern_tokenizer, instance);
  `);
  scratchReady.add(db);
}

/**
 * Empties the scratch table. It is contentless, so FTS5 drops its index at once ('delete-all');
 * deleting rows from a table that keeps its text would tokenize every row again to unindex it.
 */
function clearScratch(db: Db): void {
  db.prepare("INSERT INTO temp.lectern_tokenizer (lectern_tokenizer) VALUES ('delete-all')").run();
}

/** A query term in the index's form: a token, or (a lone CJK character) the prefix of the bigrams it starts. */
export interface IndexTerm {
  token: string;
  prefix: boolean;
}

/**
 * How often each term occurs in each row of text, tokenized as passages_fts does: row id → counts
 * in the order of `terms`. Only the terms' own instances are read back, not every token.
 */
export function termFrequencies(db: Db, rows: Array<[number, string]>, terms: IndexTerm[]): Map<number, number[]> {
  ensureScratch(db);
  const out = new Map<number, number[]>(rows.map(([id]) => [id, terms.map(() => 0)]));
  db.transaction(() => {
    clearScratch(db);
    const insert = db.prepare('INSERT INTO temp.lectern_tokenizer (rowid, body) VALUES (?, ?)');
    for (const [id, text] of rows) insert.run(id, ftsBody(text));
    const exact = db.prepare('SELECT doc, count(*) FROM temp.lectern_tokenizer_tokens WHERE term = ? GROUP BY doc').raw();
    const prefixed = db.prepare('SELECT doc, count(*) FROM temp.lectern_tokenizer_tokens WHERE term >= ? AND term < ? GROUP BY doc').raw();
    terms.forEach((t, j) => {
      const found = (t.prefix ? prefixed.all(t.token, `${t.token}\u{10ffff}`) : exact.all(t.token)) as Array<[number, number]>;
      for (const [doc, n] of found) {
        const counts = out.get(doc);
        if (counts !== undefined) counts[j] = n;
      }
    });
    clearScratch(db);
  })();
  return out;
}

/** Tokenizes rows of text exactly as passages_fts does: row id → index tokens in order. */
export function indexTokens(db: Db, rows: Array<[number, string]>): Map<number, string[]> {
  ensureScratch(db);
  const out = new Map<number, string[]>();
  db.transaction(() => {
    clearScratch(db);
    const insert = db.prepare('INSERT INTO temp.lectern_tokenizer (rowid, body) VALUES (?, ?)');
    for (const [id, text] of rows) insert.run(id, ftsBody(text));
    const found = db.prepare('SELECT term, doc, "offset" FROM temp.lectern_tokenizer_tokens').raw().all() as Array<
      [string, number, number]
    >;
    for (const [term, doc, offset] of found) {
      let list = out.get(doc);
      if (list === undefined) out.set(doc, (list = []));
      list[offset] = term;
    }
    clearScratch(db);
  })();
  return out;
}
