// ROUGE of the summary's overview against the papers' own abstracts (test/eval/data/
// dev-summaries.jsonl, from ../shared/eval), beside lead-k and TextRank on the same sentences in
// the same run. The abstract is in the paper, so every method's candidates exclude the abstract's
// section: otherwise copying the abstract would score near 1 and say nothing about summarising.
// Every method picks as many sentences as Lectern's overview does for that paper, so the
// comparison is at equal length.
//
// `summarySection` is a section of the `npm run eval` harness (tables on stdout, details as JSON:
// every paper's chosen sentences and scores per method); `evaluateSummaries()` returns the tables
// alone; `npm run eval:summaries` runs it on its own.
import { readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ingest } from '../../main/core/ingest/index.js';
import { DEFAULT_CENTRALITY, sectionCentrality } from '../../main/core/summary/centrality.js';
import { summaryContext, type SummaryContext } from '../../main/core/summary/context.js';
import { abstractBlocks } from '../../main/core/summary/facts/paper.js';
import { overviewIndices } from '../../main/core/summary/overview.js';
import { DEFAULT_SELECTION } from '../../main/core/summary/selection.js';
import { printTable, type BenchTable } from '../bench/table.js';
import { fixture, hasFixture, repoRoot } from '../support/fixtures.js';
import { rouge, rougeTokens, type Rouge } from './rouge.js';

interface Reference {
  doc: string;
  reference: string;
}

type Method = (ctx: SummaryContext, k: number) => number[];

/** The first k candidate sentences after the abstract. */
const leadK: Method = (ctx, k) => ctx.sentences.filter((s) => s.eligible).slice(0, k).map((s) => s.index);

/**
 * TextRank (Mihalcea & Tarau, 2004): PageRank (d = 0.85) over the sentences, edges weighted by
 * shared content terms over log lengths; the top k, in document order.
 */
const textRank: Method = (ctx, k) => {
  const nodes = ctx.sentences.filter((s) => s.eligible).map((s) => s.index);
  const sets = nodes.map((i) => new Set(ctx.terms[i]));
  const n = nodes.length;
  const weights: Float64Array[] = nodes.map(() => new Float64Array(n));
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      let shared = 0;
      for (const t of sets[a]) if (sets[b].has(t)) shared++;
      const denom = Math.log(sets[a].size + 1) + Math.log(sets[b].size + 1);
      const w = shared > 0 && denom > 0 ? shared / denom : 0;
      weights[a][b] = w;
      weights[b][a] = w;
    }
  }
  const outSum = weights.map((row) => row.reduce((x, y) => x + y, 0));
  let rank = new Float64Array(n).fill(1 / Math.max(1, n));
  for (let iteration = 0; iteration < 50; iteration++) {
    const next = new Float64Array(n).fill(0.15 / Math.max(1, n));
    for (let a = 0; a < n; a++) {
      if (outSum[a] === 0) continue;
      for (let b = 0; b < n; b++) if (weights[a][b] > 0) next[b] += (0.85 * rank[a] * weights[a][b]) / outSum[a];
    }
    rank = next;
  }
  return nodes
    .map((i, a) => ({ i, r: rank[a] }))
    .sort((x, y) => y.r - x.r)
    .slice(0, k)
    .map((x) => x.i)
    .sort((x, y) => x - y);
};

/** Section-aware centrality alone: its top k, no coverage or diversity. */
const centralityTopK: Method = (ctx, k) =>
  ctx.sentences
    .filter((s) => s.eligible)
    .sort((a, b) => ctx.centrality[b.index] - ctx.centrality[a.index])
    .slice(0, k)
    .map((s) => s.index)
    .sort((a, b) => a - b);

/** Selection without the boundary bonus in the centrality it draws on. */
const noBoundary: Method = (ctx, k) =>
  overviewIndices(
    { ...ctx, centrality: sectionCentrality(ctx.sentences, ctx.space, { ...DEFAULT_CENTRALITY, boundary: 0 }) },
    k,
  );

/** Coverage alone: the diversity reward switched off. */
const coverageOnly: Method = (ctx, k) => overviewIndices(ctx, k, { ...DEFAULT_SELECTION, diversity: 0 });

const METHODS: { name: string; pick: Method }[] = [
  { name: 'Lectern (centrality + coverage/diversity)', pick: (ctx, k) => overviewIndices(ctx, k) },
  { name: 'lead-k', pick: leadK },
  { name: 'TextRank', pick: textRank },
  { name: 'ablation: centrality top-k', pick: centralityTopK },
  { name: 'ablation: no boundary bonus', pick: noBoundary },
  { name: 'ablation: no diversity reward', pick: coverageOnly },
];

export function loadReferences(): Reference[] {
  return readFileSync(join(repoRoot, 'test', 'eval', 'data', 'dev-summaries.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as Reference);
}

/**
 * Papers among the fixtures that dev-summaries.jsonl has no reference for: their abstract is
 * taken from the document by rule (summary/facts/paper.ts abstractBlocks: the paragraphs of 100
 * characters or more under an "Abstract" heading, or the paragraph that opens with the word), as
 * a second set that the method was not tuned on.
 */
export const HELD_OUT_PAPERS = ['papers/resnet.pdf', 'papers/TAMReview.pdf', 'papers/sparse_autoencoders.pdf'];

function abstractOf(ctx: SummaryContext): string {
  const range = abstractBlocks(ctx.structure);
  if (range === null) return '';
  const parts: string[] = [];
  for (let b = range.first; b < range.end; b++) {
    const block = ctx.doc.blocks[b];
    // Footnotes and affiliations share the abstract's section in some layouts.
    if (block.kind === 'heading' || block.text.length < 100) continue;
    parts.push(block.text.replace(/^abstract\b[.:]?\s*/i, ''));
  }
  return parts.join(' ');
}

interface Paper {
  doc: string;
  /** null: take the abstract from the document (held-out papers). */
  reference: string | null;
}

export interface SummaryEvalDetail {
  doc: string;
  set: 'development' | 'held-out';
  method: string;
  rouge: Rouge;
  sentences: { text: string; start: number; end: number }[];
}

export async function runSummaryEvaluation(): Promise<{ tables: BenchTable[]; details: SummaryEvalDetail[] }> {
  const dev = await evaluateSet(loadReferences().filter((r) => hasFixture(r.doc)), 'development');
  const heldOut = await evaluateSet(HELD_OUT_PAPERS.filter(hasFixture).map((doc) => ({ doc, reference: null })), 'held-out');
  return { tables: tablesOf(dev, heldOut), details: [...dev.details, ...heldOut.details] };
}

/** The harness's section (test/eval/run.ts SECTIONS): no model, no questions needed. */
export const summarySection = { name: 'summary', run: runSummaryEvaluation };

export async function evaluateSummaries(): Promise<BenchTable[]> {
  return (await runSummaryEvaluation()).tables;
}

function tablesOf(dev: SetResult, heldOut: SetResult): BenchTable[] {
  return [
    meansTable(`Summary overview against the papers' abstracts, development set (ROUGE F1 %, mean of ${dev.papers} papers, abstract excluded from the candidates)`, dev),
    meansTable(`Summary overview against the abstracts of ${heldOut.papers} other fixture papers, not tuned on (ROUGE F1 %, abstract taken from the paper by rule and excluded from the candidates)`, heldOut),
    { title: 'Summary ROUGE per paper (F1 %)', columns: ['paper', 'method', 'sentences', 'ROUGE-1', 'ROUGE-2', 'ROUGE-L'], rows: [...dev.perDoc, ...heldOut.perDoc] },
  ];
}

interface SetResult {
  papers: number;
  details: SummaryEvalDetail[];
  sums: Rouge[];
  /** Tokens of each method's overviews, summed over the papers. */
  tokens: number[];
  referenceTokens: number;
  perDoc: (string | number)[][];
}

function meansTable(title: string, r: SetResult): BenchTable {
  const n = Math.max(1, r.papers);
  return {
    title,
    columns: ['method', 'ROUGE-1', 'ROUGE-2', 'ROUGE-L', 'tokens'],
    rows: [
      ...METHODS.map((m, i) => [m.name, pct(r.sums[i].rouge1 / n), pct(r.sums[i].rouge2 / n), pct(r.sums[i].rougeL / n), Math.round(r.tokens[i] / n)]),
      ['(the abstracts)', '', '', '', Math.round(r.referenceTokens / n)],
    ],
    notes: [
      'Every method picks from the same candidate sentences (summary/sentences.ts) and as many as Lectern does for that paper; tokens: the mean length of its overviews.',
      'Tokens: NFKC, lower case, letter-digit runs, each CJK character alone; no stemming, no stop words (test/eval/rouge.ts).',
    ],
  };
}

async function evaluateSet(papers: Paper[], set: SummaryEvalDetail['set']): Promise<SetResult> {
  const perDoc: (string | number)[][] = [];
  const details: SummaryEvalDetail[] = [];
  const sums = METHODS.map(() => ({ rouge1: 0, rouge2: 0, rougeL: 0 }));
  const tokens = METHODS.map(() => 0);
  let referenceTokens = 0;
  for (const paper of papers) {
    const doc = await ingest(new Uint8Array(await readFile(fixture(paper.doc))), { fileName: basename(paper.doc) });
    const ctx = summaryContext(doc, { excludeAbstract: true });
    if (abstractBlocks(ctx.structure) === null) throw new Error(`${paper.doc}: no abstract found, so it cannot be excluded`);
    const reference = paper.reference ?? abstractOf(ctx);
    if (reference.length === 0) throw new Error(`${paper.doc}: no abstract text found`);
    const ref = { doc: paper.doc, reference };
    const k = overviewIndices(ctx).length;
    referenceTokens += rougeTokens(reference).length;
    METHODS.forEach((m, i) => {
      const chosen = m.pick(ctx, k).map((s) => ({ text: doc.text.slice(ctx.sentences[s].start, ctx.sentences[s].end), start: ctx.sentences[s].start, end: ctx.sentences[s].end }));
      const text = chosen.map((c) => c.text).join(' ');
      const r: Rouge = rouge(text, ref.reference);
      details.push({ doc: ref.doc, set, method: m.name, rouge: r, sentences: chosen });
      tokens[i] += rougeTokens(text).length;
      sums[i].rouge1 += r.rouge1;
      sums[i].rouge2 += r.rouge2;
      sums[i].rougeL += r.rougeL;
      perDoc.push([basename(ref.doc), m.name, k, pct(r.rouge1), pct(r.rouge2), pct(r.rougeL)]);
    });
  }
  return { papers: papers.length, details, sums, tokens, referenceTokens, perDoc };
}

function pct(x: number): number {
  return Math.round(x * 1000) / 10;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { tables, details } = await runSummaryEvaluation();
  for (const table of tables) printTable(table);
  // `--out FILE`: the details as JSON.
  const out = process.argv.indexOf('--out');
  if (out >= 0 && process.argv[out + 1] !== undefined) writeFileSync(process.argv[out + 1], `${JSON.stringify(details, null, 2)}\n`);
}
