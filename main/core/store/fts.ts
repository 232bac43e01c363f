// The full-text index's SQL: what passages_fts holds for a passage, the BM25 candidates of one
// document for a set of terms, the index's own tokens for any text, and the library's document
// frequency of a term. Ranking the candidates is core/answer/search.ts's job.
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
  rank: number;
}

/**
 * A document's passages matching any of `terms` (already in the index's form), best BM25 first.
 * A lone CJK character matches as the prefix of a bigram. Passages on pages whose text is not
 * language (migration 7) are never candidates.
 */
export function ftsCandidates(db: Db, documentId: number, terms: string[], limit: number): FtsCandidate[] {
  // A document's passages are written in one transaction, so their ids form one range; giving
  // FTS5 that range keeps it from scoring matches in every other document of the library. CROSS
  // JOIN keeps the full-text scan outermost (otherwise SQLite runs one MATCH per passage).
  const range = db.prepare('SELECT min(id) AS lo, max(id) AS hi FROM passages WHERE document_id = ?').get(documentId) as {
    lo: number | null;
    hi: number | null;
  };
  if (range.lo === null || range.hi === null) return [];
  // The index holds CJK bigrams, so a lone character matches as the prefix of one.
  const match = terms.map((t) => ([...t].length === 1 && isCjkChar(t) ? `"${t}"*` : `"${t}"`)).join(' OR ');
  return db
    .prepare(
      `SELECT p.id, p.ordinal, p.page, p.section, p."start" AS start, p."end" AS end, p.text, bm25(passages_fts) AS rank
       FROM passages_fts CROSS JOIN passages p ON p.id = passages_fts.rowid
       WHERE passages_fts MATCH ? AND passages_fts.rowid BETWEEN ? AND ? AND p.document_id = ? AND p.unreadable = 0
       ORDER BY rank LIMIT ${limit}`,
    )
    .all(match, range.lo, range.hi, documentId) as FtsCandidate[];
}

const scratchReady = new WeakSet<Db>();

/** Tokenizes rows of text exactly as passages_fts does: row id → index tokens in order. */
export function indexTokens(db: Db, rows: Array<[number, string]>): Map<number, string[]> {
  if (!scratchReady.has(db)) {
    db.exec(`
      CREATE VIRTUAL TABLE IF NOT EXISTS temp.lectern_scratch USING fts5 (body, tokenize = ${TOKENIZE});
      CREATE VIRTUAL TABLE IF NOT EXISTS temp.lectern_scratch_tokens USING fts5vocab (temp, lectern_scratch, instance);
      CREATE VIRTUAL TABLE IF NOT EXISTS temp.lectern_fts_terms USING fts5vocab (main, passages_fts, row);
    `);
    scratchReady.add(db);
  }
  const out = new Map<number, string[]>();
  db.transaction(() => {
    db.prepare('DELETE FROM temp.lectern_scratch').run();
    const insert = db.prepare('INSERT INTO temp.lectern_scratch (rowid, body) VALUES (?, ?)');
    for (const [id, text] of rows) insert.run(id, ftsBody(text));
    const found = db.prepare('SELECT term, doc, "offset" FROM temp.lectern_scratch_tokens').raw().all() as Array<
      [string, number, number]
    >;
    for (const [term, doc, offset] of found) {
      let list = out.get(doc);
      if (list === undefined) out.set(doc, (list = []));
      list[offset] = term;
    }
    db.prepare('DELETE FROM temp.lectern_scratch').run();
  })();
  return out;
}

/** Inverse document frequency of each query term over the library's passages. */
export function termWeights(db: Db, terms: Set<string>): Map<string, number> {
  const total = (db.prepare('SELECT count(*) AS n FROM passages').get() as { n: number }).n;
  const df = db.prepare('SELECT doc FROM temp.lectern_fts_terms WHERE term = ?');
  const out = new Map<string, number>();
  for (const t of terms) {
    const row = df.get(t) as { doc: number } | undefined;
    const n = row?.doc ?? 0;
    out.set(t, Math.log(1 + (total - n + 0.5) / (n + 0.5)));
  }
  return out;
}
