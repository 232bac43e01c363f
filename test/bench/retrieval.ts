// Retrieval on the development questions (../shared/eval): does the passage that holds the gold
// evidence come first among a document's passages? Full-text search, the model's passage
// vectors (a question read alone from the empty state, as the vector head was trained), and the
// two fused, side by side on the same readings. Judged by the set's own rule.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { Library } from '../../main/core/library.js';
import { defaultModelDir } from '../../main/core/model/default-model.js';
import { rereadFrom } from '../../main/core/model/rereader.js';
import { openModel, type Model } from '../../main/core/model/session.js';
import { loadPassages } from '../../main/core/store/documents.js';
import { loadPassageOutputs } from '../../main/core/store/readings.js';
import { searchPassages } from '../../main/core/store/search.js';
import type { Passage } from '../../main/core/text/passages.js';
import { citationHits } from '../support/citation-judge.js';
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
const FTS_CANDIDATES = 50;
/** Reciprocal-rank fusion's damping (the usual 60): ranks, not scores, so the two scales need no calibration. */
const RRF_K = 60;

function loadQuestions(): Question[] {
  const dir = resolve(repoRoot, '..', 'shared', 'eval');
  return readdirSync(dir)
    .filter((f) => /^dev-questions-.*\.jsonl$/.test(f))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l.trim().length > 0))
    .map((l) => JSON.parse(l) as Question);
}

/** The vector head's mean over `ids` read alone from the empty state, L2-normalised. */
async function queryVector(lib: Library, model: Model, documentId: number, ids: Int32Array): Promise<Float32Array> {
  const { embeddings } = await rereadFrom(lib.db, model, documentId, 0, ids);
  const E = model.manifest.embedding_dim;
  const v = new Float32Array(E);
  for (let t = 0; t < ids.length; t++) for (let e = 0; e < E; e++) v[e] += embeddings[t * E + e];
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

function byVector(vectors: Float32Array[], q: Float32Array): number[] {
  const score = vectors.map((v) => v.reduce((s, x, i) => s + x * q[i], 0));
  return score.map((_, i) => i).sort((a, b) => score[b] - score[a]);
}

function fused(...rankings: number[][]): number[] {
  const score = new Map<number, number>();
  for (const ranking of rankings) ranking.forEach((o, r) => score.set(o, (score.get(o) ?? 0) + 1 / (RRF_K + r + 1)));
  return [...score.keys()].sort((a, b) => score.get(b)! - score.get(a)!);
}

/** The rank (0-based) of the first passage that holds the evidence, or Infinity. */
function firstHit(ranking: number[], passages: Passage[], q: Question): number {
  const gold = { evidence: q.evidence!, page: q.page };
  const at = ranking.slice(0, KS[KS.length - 1]).findIndex((o) => citationHits({ quote: passages[o].text, page: passages[o].page }, gold));
  return at < 0 ? Infinity : at;
}

/**
 * The vector head's own task, within one document: a 32-token span from the middle of a passage
 * (the training queries' length), read alone, against every passage of the same document.
 */
async function subSpanRanks(lib: Library, model: Model, documentId: number, vectors: Float32Array[], passages: Passage[]): Promise<number[]> {
  const step = Math.max(1, Math.floor(passages.length / SUB_SPAN_SAMPLES));
  const ranks: number[] = [];
  for (let o = Math.floor(step / 2); o < passages.length && ranks.length < SUB_SPAN_SAMPLES; o += step) {
    const { ids } = model.tokenizer.encode(passages[o].text);
    if (ids.length < 2 * SUB_SPAN_TOKENS) continue;
    const from = Math.floor((ids.length - SUB_SPAN_TOKENS) / 2);
    const ranking = byVector(vectors, await queryVector(lib, model, documentId, ids.slice(from, from + SUB_SPAN_TOKENS)));
    ranks.push(ranking.indexOf(o));
  }
  return ranks;
}

export async function benchRetrieval(): Promise<BenchTable[]> {
  const methods = ['full-text search (FTS5 + re-rank)', 'passage vectors (vector head)', 'fused (reciprocal rank)', 'search quote (what the CLI shows)'];
  const table: BenchTable = {
    title: 'Retrieval on the development questions: the evidence in the first k passages (%)',
    columns: ['method', ...KS.map((k) => `en @${k}`), ...KS.map((k) => `zh @${k}`), ...KS.map((k) => `all @${k}`)],
    rows: [],
    notes: [],
  };
  const own: BenchTable = {
    title: "The vector head's own task within one document: a passage's 32-token span against every passage (%)",
    columns: ['document', 'passages', 'spans', 'hit @1', 'hit @5', 'chance @1'],
    rows: [],
    notes: [
      'the span is read alone from the empty state, as in training; training (in-batch negatives from 32 streams) and its held-out figure (64 random windows of the validation split) mostly set passages of different documents, or far-apart parts of one, against each other',
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
  const dir = mkdtempSync(join(tmpdir(), 'lectern-bench-retrieval-'));
  const lib = Library.open(join(dir, 'library.sqlite'));
  const model = await openModel(defaultModelDir(), 'cpu');
  // ranks[method][question]: the first hit's rank
  const ranks: number[][] = methods.map(() => []);
  const allSpans: number[] = [];
  let readSeconds = 0;
  let tokens = 0;
  try {
    for (const doc of [...new Set(questions.map((q) => q.doc))]) {
      const { row } = await lib.add(fixture(doc));
      const t0 = performance.now();
      const read = await lib.read(row.id, { device: 'cpu' });
      readSeconds += (performance.now() - t0) / 1000;
      tokens += read.tokens;
      const passages = loadPassages(lib.db, row.id);
      const vectors = loadPassageOutputs(lib.db, row.id, model.manifest.id).map((p) => p.embedding);
      const spans = await subSpanRanks(lib, model, row.id, vectors, passages);
      allSpans.push(...spans);
      own.rows.push([doc, passages.length, spans.length, share(spans, 1), share(spans, 5), 100 / passages.length]);
      for (const q of questions.filter((x) => x.doc === doc)) {
        const hits = searchPassages(lib.db, row.id, q.question, FTS_CANDIDATES);
        const fts = hits.map((h) => h.ordinal);
        const vec = byVector(vectors, await queryVector(lib, model, row.id, model.tokenizer.encode(q.question).ids));
        ranks[0].push(firstHit(fts, passages, q));
        ranks[1].push(firstHit(vec, passages, q));
        ranks[2].push(firstHit(fused(fts, vec), passages, q));
        const quoted = hits.slice(0, KS[KS.length - 1]).findIndex((h) => citationHits({ quote: h.quote, page: h.page }, { evidence: q.evidence!, page: q.page }));
        ranks[3].push(quoted < 0 ? Infinity : quoted);
      }
    }
  } finally {
    await model.release();
    lib.close();
    rmSync(dir, { recursive: true, force: true });
  }
  own.rows.push(['all', '', allSpans.length, share(allSpans, 1), share(allSpans, 5), '']);
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
  );
  return [table, own];
}
