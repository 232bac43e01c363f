// Retrieval on the development questions (../shared/eval): does the passage that holds the gold
// evidence come first among a document's passages? Full-text search, the model's passage
// vectors (a question read alone from the empty state, as the vector head was trained), the two
// fused, and search's first passages re-ranked by the relevance head and by the language model's
// own likelihood of the question after each passage, side by side on the same readings, judged by
// the set's own rule. A second table gives each head its own training task,
// but inside one document, where the app uses them.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { Library } from '../../main/core/library.js';
import { defaultModelDir } from '../../main/core/model/default-model.js';
import { documentStream, readDocument } from '../../main/core/reading/reader.js';
import { openModel, type Model } from '../../main/core/model/session.js';
import { loadDocumentText, loadPassages } from '../../main/core/store/documents.js';
import { loadPassageOutputs, type PassageOutput } from '../../main/core/store/readings.js';
import { searchPassages } from '../../main/core/answer/search.js';
import type { Passage } from '../../main/core/text/passages.js';
import { byLikelihood, byRelevance, byVector, fused, queryVector } from '../../main/core/answer/passage-rankings.js';
import { citationHits, type Citation } from '../support/citation-judge.js';
import { fixture, hasFixture, repoRoot } from '../support/fixtures.js';
import type { BenchTable } from './table.js';

interface Question {
  id: string;
  doc: string;
  lang: 'en' | 'zh';
  question: string;
  answerable: boolean;
  evidence: string | null;
  page: number | null;
}

const KS = [1, 3, 5] as const;
const SUB_SPAN_TOKENS = 32;
const SUB_SPAN_SAMPLES = 30;
/** heads.py's relevance queries: a span of REL_SPAN tokens with four of them dropped. */
const REL_SPAN = 28;
const RELEVANCE_SAMPLES = 10;
const RELEVANCE_RIVALS = 4;
const FTS_CANDIDATES = 50;
/** Passages the model re-reads per question (each one a replay from its checkpoint). */
const RERANK = 5;

function loadQuestions(): Question[] {
  const dir = resolve(repoRoot, '..', 'shared', 'eval');
  return readdirSync(dir)
    .filter((f) => /^dev-questions-.*\.jsonl$/.test(f))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l.trim().length > 0))
    .map((l) => JSON.parse(l) as Question);
}

/** The rank (0-based) among the first five of the first citation that meets the set's rule, or Infinity. */
function firstHit(citations: Citation[], q: Question): number {
  const gold = { evidence: q.evidence!, page: q.page };
  const at = citations.slice(0, KS[KS.length - 1]).findIndex((c) => citationHits(c, gold));
  return at < 0 ? Infinity : at;
}

/** Passages in a ranking's order, as citations: their whole text on their first page. */
function asCitations(ranking: number[], passages: Passage[]): Citation[] {
  return ranking.map((o) => ({ quote: passages[o].text, page: passages[o].page }));
}

/** Up to `count` ordinals spread evenly over a document's passages, skipping those under `minTokens`. */
function* spread(outputs: PassageOutput[], count: number, minTokens: number): Generator<number> {
  const step = Math.max(1, Math.floor(outputs.length / count));
  let taken = 0;
  for (let o = Math.floor(step / 2); o < outputs.length && taken < count; o += step) {
    if (outputs[o].tokenEnd - outputs[o].tokenStart < minTokens) continue;
    taken++;
    yield o;
  }
}

/** The `length` tokens at the middle of a passage (its own tokens in the document's stream). */
function middleSpan(stream: Int32Array, { tokenStart, tokenEnd }: PassageOutput, length: number): Int32Array {
  const from = tokenStart + Math.floor((tokenEnd - tokenStart - length) / 2);
  return stream.slice(from, from + length);
}

/**
 * The vector head's own task, within one document: a 32-token span from the middle of a passage
 * (the training queries' length), read alone, against every passage of the same document.
 */
async function subSpanRanks(lib: Library, model: Model, documentId: number, stream: Int32Array, outputs: PassageOutput[]): Promise<number[]> {
  const ranks: number[] = [];
  for (const o of spread(outputs, SUB_SPAN_SAMPLES, 2 * SUB_SPAN_TOKENS)) {
    const ranking = byVector(outputs, await queryVector(lib.db, model, documentId, middleSpan(stream, outputs[o], SUB_SPAN_TOKENS)));
    ranks.push(ranking.indexOf(o));
  }
  return ranks;
}

/**
 * The relevance head's own task within one document: a REL_SPAN-token span from the middle of a
 * passage with every seventh token dropped, four in all (as heads.py drops REL_DROP of its queries'), re-read question-first
 * against its source passage and RELEVANCE_RIVALS others of the same document; a hit when the
 * source scores highest.
 */
async function relevanceOwnTask(lib: Library, model: Model, documentId: number, stream: Int32Array, outputs: PassageOutput[]): Promise<boolean[]> {
  const wins: boolean[] = [];
  for (const o of spread(outputs, RELEVANCE_SAMPLES, 2 * SUB_SPAN_TOKENS)) {
    const query = middleSpan(stream, outputs[o], REL_SPAN).filter((_, i) => i % 7 !== 3);
    const rivals = [...new Set(Array.from({ length: RELEVANCE_RIVALS }, (_, d) => (o + (d + 1) * 11) % outputs.length))].filter((r) => r !== o);
    const [first] = await byRelevance(lib.db, model, documentId, stream, outputs, query, [o, ...rivals], RERANK);
    wins.push(first === o);
  }
  return wins;
}

export async function benchRetrieval(): Promise<BenchTable[]> {
  const methods = [
    'full-text search (FTS5 + re-rank)',
    'passage vectors (vector head)',
    'fused (reciprocal rank)',
    `search's first ${RERANK} re-ranked by the relevance head`,
    `search's first ${RERANK} re-ranked by log p(question | passage)`,
    'search quote (what the CLI shows)',
  ];
  const table: BenchTable = {
    title: 'Retrieval on the development questions: the evidence in the first k passages (%)',
    columns: ['method', ...KS.map((k) => `en @${k}`), ...KS.map((k) => `zh @${k}`), ...KS.map((k) => `all @${k}`)],
    rows: [],
    notes: [],
  };
  const own: BenchTable = {
    title: "The heads' own tasks within one document (%): a passage's 32-token span against every passage by vectors; a 28-token span, 4 dropped, against its passage and 4 others by relevance",
    columns: ['document', 'passages', 'spans', 'vectors: hit @1', 'vectors: hit @5', 'chance @1', 'relevance: spans', 'relevance: source first', 'chance'],
    rows: [],
    notes: [
      'the span is read alone from the empty state, as in training; training (in-batch negatives from 32 streams) and its held-out figure (64 random windows of the validation split) mostly set passages of different documents, or far-apart parts of one, against each other',
      'relevance: each passage re-read from its own checkpoint as [span, sep, passage] and scored by its highest logit; training took negative rows\' queries from other rows, so other documents',
    ],
  };
  let questions: Question[];
  try {
    questions = loadQuestions().filter((q) => q.answerable && q.evidence !== null);
  } catch {
    table.notes!.push('../shared/eval not found: skipped');
    return [table];
  }
  const missing = [...new Set(questions.map((q) => q.doc))].filter((d) => !hasFixture(d));
  questions = questions.filter((q) => hasFixture(q.doc));
  if (missing.length > 0) table.notes!.push(`fixtures not found, their questions skipped: ${missing.join(', ')}`);

  const share = (rs: number[], k: number): number => (rs.length === 0 ? NaN : (100 * rs.filter((r) => r < k).length) / rs.length);
  const percentTrue = (xs: boolean[]): number => (xs.length === 0 ? NaN : (100 * xs.filter(Boolean).length) / xs.length);
  const dir = mkdtempSync(join(tmpdir(), 'lectern-bench-retrieval-'));
  const lib = Library.open(join(dir, 'library.sqlite'));
  const model = await openModel(defaultModelDir(), 'cpu');
  // Reading as the engine reads: the reading graph (the full one re-reads, below).
  const reader = await openModel(defaultModelDir(), 'cpu', { graph: 'reader' });
  // ranks[method][question]: the first hit's rank
  const ranks: number[][] = methods.map(() => []);
  const allSpans: number[] = [];
  const allWins: boolean[] = [];
  let readSeconds = 0;
  let tokens = 0;
  try {
    for (const doc of [...new Set(questions.map((q) => q.doc))]) {
      const { row } = await lib.add(fixture(doc));
      const t0 = performance.now();
      const read = await readDocument(lib.db, reader, row.id);
      readSeconds += (performance.now() - t0) / 1000;
      tokens += read.tokens;
      const passages = loadPassages(lib.db, row.id);
      const outputs = loadPassageOutputs(lib.db, row.id, model.manifest.id);
      const { stream } = documentStream(model, loadDocumentText(lib.db, row.id, 'the retrieval benchmark'));
      const spans = await subSpanRanks(lib, model, row.id, stream, outputs);
      const wins = await relevanceOwnTask(lib, model, row.id, stream, outputs);
      allSpans.push(...spans);
      allWins.push(...wins);
      own.rows.push([doc, passages.length, spans.length, share(spans, 1), share(spans, 5), 100 / passages.length,
        wins.length, percentTrue(wins), 100 / (1 + RELEVANCE_RIVALS)]);
      for (const q of questions.filter((x) => x.doc === doc)) {
        const hits = searchPassages(lib.db, row.id, q.question, FTS_CANDIDATES);
        const fts = hits.map((h) => h.ordinal);
        const question = model.tokenizer.encode(q.question).ids;
        const vec = byVector(outputs, await queryVector(lib.db, model, row.id, question));
        ranks[0].push(firstHit(asCitations(fts, passages), q));
        ranks[1].push(firstHit(asCitations(vec, passages), q));
        ranks[2].push(firstHit(asCitations(fused(fts, vec), passages), q));
        ranks[3].push(firstHit(asCitations(await byRelevance(lib.db, model, row.id, stream, outputs, question, fts, RERANK), passages), q));
        const afterBreak = model.tokenizer.encode(`\n\n${q.question}`).ids;
        ranks[4].push(firstHit(asCitations(await byLikelihood(lib.db, model, row.id, stream, outputs, afterBreak, fts, RERANK), passages), q));
        ranks[5].push(firstHit(hits.map((h) => ({ quote: h.quote, page: h.page })), q));
      }
    }
  } finally {
    await model.release();
    await reader.release();
    lib.close();
    rmSync(dir, { recursive: true, force: true });
  }
  own.rows.push(['all', '', allSpans.length, share(allSpans, 1), share(allSpans, 5), '', allWins.length, percentTrue(allWins), 100 / (1 + RELEVANCE_RIVALS)]);
  const langOf = questions.map((q) => q.lang);
  methods.forEach((name, m) => {
    const en = ranks[m].filter((_, i) => langOf[i] === 'en');
    const zh = ranks[m].filter((_, i) => langOf[i] === 'zh');
    table.rows.push([name, ...KS.map((k) => share(en, k)), ...KS.map((k) => share(zh, k)), ...KS.map((k) => share(ranks[m], k))]);
  });
  const count = (lang: string): number => langOf.filter((l) => l === lang).length;
  table.notes!.push(
    `${questions.length} answerable questions (${count('en')} en, ${count('zh')} zh) over ${new Set(questions.map((q) => q.doc)).size} documents; ` +
      `model ${basename(defaultModelDir())}, CPU; read ${tokens.toLocaleString('en-US')} tokens in ${readSeconds.toFixed(0)} s`,
    'a passage counts when its text and page meet the set\'s rule for a citation (../shared/eval/README.md); the last row judges the quote search shows instead',
    'passage vectors: mean of the vector head over the passage as read in the document; question: the same over its tokens read alone from the empty state',
    'log p(question | passage): the passage read alone from the empty state, then a paragraph break and the question; no head, the language model itself',
  );
  return [table, own];
}
