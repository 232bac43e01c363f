// Full-text search over one document's passages: BM25 with the document's own statistics (its
// passages' document frequencies and average length, so its results do not depend on what else
// the library holds), then a re-ranking that rewards the query's word pairs (and the whole query)
// appearing in order, and its terms lying close together; each hit carries its best sentence or
// two as the quote. The SQL (the index, which passages match a term, their lengths, tokens and
// term counts) is store/fts.ts; query and passages are compared in the index's own tokens, so
// stemming and CJK bigrams match exactly.
import { splitSentences, type Span } from '../text/sentences.js';
import type { Db } from '../store/db.js';
import {
  documentPassages,
  ftsBody,
  ftsMatch,
  matchesAsPrefix,
  indexTokens,
  passagesById,
  passagesMatching,
  termFrequencies,
  type FtsCandidate,
  type IndexTerm,
} from '../store/fts.js';

export interface SearchHit {
  passageId: number;
  ordinal: number;
  page: number | null;
  section: string | null;
  /** The passage's offsets into the document text. */
  start: number;
  end: number;
  /** The passage's best sentence (or two) for the query. */
  quote: string;
  /** The quote's offsets into the document text. */
  quoteStart: number;
  quoteEnd: number;
  /** Higher is better; comparable only within one search. */
  score: number;
}

const CANDIDATES = 50;
/**
 * Passages whose term counts are read to score them exactly. A first pass knows only which
 * terms each passage holds (FTS5's matches) and scores them as if each occurred once; the best
 * of those are counted. Both passes use the document's statistics alone.
 */
const PRESELECTED = 2 * CANDIDATES;
/** BM25's usual saturation and length normalisation (FTS5's bm25() defaults). */
const K1 = 1.2;
const B = 0.75;
const MAX_TERMS = 32;
/** A pasted paragraph is still a query; beyond this its phrase adds nothing but work. */
const MAX_QUERY_CHARS = 2000;
const WEIGHT_PAIRS = 0.5;
const WEIGHT_PHRASE = 1;
const WEIGHT_PROXIMITY = 0.3;
/** A quote takes a second sentence only while the two stay this short. */
const QUOTE_CHARS = 300;

/** Words too common to count as the query's subject: no proximity or pair boost, no quote weight. */
const STOP_WORDS = new Set(
  (
    'a an the and or but nor of in on at to for from by with about into onto over under after before ' +
    'between through during without within than then as if so that this these those there here it its ' +
    'is are was were be been being am do does did done have has had having can could shall should will ' +
    'would may might must i me my we our us you your he him his she her they them their what which who ' +
    'whom whose when where why how not no any all some such each other more most very just also only ' +
    'own same too up out off again once both either neither'
  ).split(' '),
);

interface Scored {
  candidate: FtsCandidate;
  bm25: number;
  sentences: Span[];
  /** Index tokens per sentence. */
  tokens: string[][];
  score: number;
}

export function searchPassages(db: Db, documentId: number, query: string, top = 5): SearchHit[] {
  const words = [...new Set(ftsBody(query).toLowerCase().match(/[\p{L}\p{N}\p{M}]+/gu) ?? [])];
  // BM25 already gives common words little weight, and keeping them in the MATCH measured
  // better than dropping them; they are left out only of the phrase and proximity boosts.
  const content = words.filter((w) => !STOP_WORDS.has(w));
  const subject = (content.length > 0 ? content : words).slice(0, MAX_TERMS);
  const matching = [...content, ...words.filter((w) => STOP_WORDS.has(w))].slice(0, MAX_TERMS);
  if (matching.length === 0 || top <= 0) return [];
  const { candidates, idf } = documentBm25(db, documentId, matching);
  if (candidates.length === 0) return [];

  // Row 1: the subject terms; row 2: the whole query; then one row per candidate sentence.
  const rows: Array<[number, string]> = [
    [1, subject.join(' ')],
    [2, query.slice(0, MAX_QUERY_CHARS)],
  ];
  const spans = candidates.map((c) => splitSentences(c.passage.text));
  spans.forEach((ss, i) => ss.forEach((s, j) => rows.push([sentenceRow(i, j), candidates[i].passage.text.slice(s.start, s.end)])));
  const tokens = indexTokens(db, rows);
  const terms = new Set(tokens.get(1) ?? []);
  const queryTokens = tokens.get(2) ?? [];
  const pairs = queryPairs(queryTokens, terms);

  const scored: Scored[] = candidates.map(({ passage: candidate, bm25 }, i) => {
    const perSentence = spans[i].map((_, j) => tokens.get(sentenceRow(i, j)) ?? []);
    const all = perSentence.flat();
    const base = bm25;
    const boost =
      WEIGHT_PAIRS * fractionOfPairs(pairs, perSentence) +
      WEIGHT_PHRASE * (queryTokens.length >= 2 && perSentence.some((t) => containsRun(t, queryTokens)) ? 1 : 0) +
      WEIGHT_PROXIMITY * proximity(all, terms);
    return { candidate, bm25, sentences: spans[i], tokens: perSentence, score: base * (1 + boost) };
  });
  scored.sort((a, b) => b.score - a.score || a.candidate.ordinal - b.candidate.ordinal);

  const weights = new Map([...terms].map((t) => [t, idf.get(t) ?? 0]));
  return scored.slice(0, top).map((s) => toHit(s, weights, pairs));
}

interface Bm25Result {
  /** The best CANDIDATES passages, best first (a tie in document order). */
  candidates: Array<{ passage: FtsCandidate; bm25: number }>;
  /** Each matched term's inverse document frequency over the document's passages, by index token. */
  idf: Map<string, number>;
}

/** BM25 of the document's passages for the query's words, with the document's own statistics. */
function documentBm25(db: Db, documentId: number, words: string[]): Bm25Result {
  const none: Bm25Result = { candidates: [], idf: new Map() };
  const passages = documentPassages(db, documentId);
  if (passages === null) return none;
  const n = passages.lengths.size;
  let total = 0;
  for (const length of passages.lengths.values()) total += length;
  const norm = (id: number): number => 1 - B + (B * (passages.lengths.get(id) ?? 0)) / Math.max(1, total / n);

  // Words with the same tokens ("run", "runs") are one term, as the index sees them.
  const wordTokens = indexTokens(db, words.map((w, i): [number, string] => [i + 1, w]));
  const terms: Array<{ key: string; index: IndexTerm | null; ids: Set<number>; idf: number }> = [];
  words.forEach((word, i) => {
    const tokens = wordTokens.get(i + 1) ?? [];
    const key = tokens.join(' ');
    if (tokens.length === 0 || terms.some((t) => t.key === key)) return;
    const ids = passagesMatching(db, passages, ftsMatch(word));
    if (ids.length === 0) return;
    const prefix = matchesAsPrefix(word);
    // A word the index splits into several tokens matches as a phrase; its count is not read (once a passage).
    const index = tokens.length === 1 ? { token: tokens[0], prefix } : null;
    terms.push({ key, index, ids: new Set(ids), idf: Math.log(1 + (n - ids.length + 0.5) / (ids.length + 0.5)) });
  });
  if (terms.length === 0) return none;

  const first = new Map<number, number>();
  for (const t of terms) for (const id of t.ids) first.set(id, (first.get(id) ?? 0) + (t.idf * (K1 + 1)) / (1 + K1 * norm(id)));
  const chosen = [...first.keys()].sort((a, b) => first.get(b)! - first.get(a)! || a - b).slice(0, PRESELECTED);
  const rows = passagesById(db, chosen);
  const counted = terms.filter((t) => t.index !== null);
  const counts = termFrequencies(db, rows.map((r): [number, string] => [r.id, r.text]), counted.map((t) => t.index!));
  const scored = rows.map((passage) => {
    const own = counts.get(passage.id) ?? [];
    let bm25 = 0;
    for (const t of terms) {
      if (!t.ids.has(passage.id)) continue;
      const j = counted.indexOf(t);
      const tf = Math.max(1, j < 0 ? 1 : own[j] ?? 0);
      bm25 += (t.idf * tf * (K1 + 1)) / (tf + K1 * norm(passage.id));
    }
    return { passage, bm25 };
  });
  scored.sort((a, b) => b.bm25 - a.bm25 || a.passage.ordinal - b.passage.ordinal);
  return {
    candidates: scored.slice(0, CANDIDATES),
    idf: new Map(counted.map((t) => [t.index!.token, t.idf])),
  };
}

function sentenceRow(candidate: number, sentence: number): number {
  return 3 + candidate * 100_000 + sentence;
}

/** Adjacent token pairs of the query that include at least one of its subject terms. */
function queryPairs(queryTokens: string[], terms: Set<string>): string[] {
  const out = new Set<string>();
  for (let i = 0; i + 1 < queryTokens.length; i++) {
    if (terms.has(queryTokens[i]) || terms.has(queryTokens[i + 1])) out.add(`${queryTokens[i]} ${queryTokens[i + 1]}`);
  }
  return [...out];
}

function fractionOfPairs(pairs: string[], sentences: string[][]): number {
  if (pairs.length === 0) return 0;
  const present = new Set<string>();
  for (const t of sentences) for (let i = 0; i + 1 < t.length; i++) present.add(`${t[i]} ${t[i + 1]}`);
  return pairs.filter((p) => present.has(p)).length / pairs.length;
}

function containsRun(tokens: string[], run: string[]): boolean {
  outer: for (let i = 0; i + run.length <= tokens.length; i++) {
    for (let j = 0; j < run.length; j++) if (tokens[i + j] !== run[j]) continue outer;
    return true;
  }
  return false;
}

/**
 * How tightly the query's terms cluster: with m distinct terms found, (m − 1) / (w − 1) for the
 * shortest window of w tokens that holds all of them; 1 when they are adjacent, 0 below two.
 */
export function proximity(tokens: string[], terms: Set<string>): number {
  const present = new Set(tokens.filter((t) => terms.has(t)));
  const m = present.size;
  if (m < 2) return 0;
  const counts = new Map<string, number>();
  let covered = 0;
  let best = Infinity;
  let left = 0;
  for (let right = 0; right < tokens.length; right++) {
    const t = tokens[right];
    if (!present.has(t)) continue;
    const n = counts.get(t) ?? 0;
    counts.set(t, n + 1);
    if (n === 0) covered++;
    while (covered === m) {
      const l = tokens[left];
      if (present.has(l)) {
        best = Math.min(best, right - left + 1);
        const k = counts.get(l) ?? 0;
        counts.set(l, k - 1);
        if (k === 1) covered--;
      }
      left++;
    }
  }
  return (m - 1) / (best - 1);
}

/**
 * The hit, quoting the sentence with the most query-term weight per √length (long sentences
 * collect terms by sheer size), together with a neighbour when both fit in QUOTE_CHARS: the
 * neighbour that adds the most new terms, else the next one.
 */
function toHit(s: Scored, weights: Map<string, number>, pairs: string[]): SearchHit {
  const { candidate, sentences, tokens } = s;
  const gain = (j: number, known: Set<string>): number => {
    let g = 0;
    for (const t of new Set(tokens[j])) if (!known.has(t)) g += weights.get(t) ?? 0;
    return g;
  };
  let best = 0;
  let bestScore = -1;
  for (let j = 0; j < sentences.length; j++) {
    const score =
      (gain(j, new Set()) * (1 + WEIGHT_PAIRS * fractionOfPairs(pairs, [tokens[j]]))) / Math.sqrt(Math.max(8, tokens[j].length));
    if (score > bestScore) {
      best = j;
      bestScore = score;
    }
  }
  let first = best;
  let last = best;
  const fits = (j: number): boolean =>
    j >= 0 && j < sentences.length && Math.max(sentences[j].end, sentences[best].end) - Math.min(sentences[j].start, sentences[best].start) <= QUOTE_CHARS;
  const known = new Set(tokens[best]);
  const before = fits(best - 1) ? gain(best - 1, known) : -1;
  const after = fits(best + 1) ? gain(best + 1, known) : -1;
  if (after >= 0 && after >= before) last = best + 1;
  else if (before >= 0) first = best - 1;
  const from = sentences.length > 0 ? sentences[first].start : 0;
  const to = sentences.length > 0 ? sentences[last].end : candidate.text.length;
  return {
    passageId: candidate.id,
    ordinal: candidate.ordinal,
    page: candidate.page,
    section: candidate.section,
    start: candidate.start,
    end: candidate.end,
    quote: candidate.text.slice(from, to),
    quoteStart: candidate.start + from,
    quoteEnd: candidate.start + to,
    score: s.score,
  };
}
