// ROUGE of the summary's overview against the papers' own abstracts (test/eval/data/
// dev-summaries.jsonl, from ../shared/eval), beside lead-k and TextRank on the same sentences in
// the same run. The abstract is in the paper, so every method's candidates exclude the abstract's
// section: otherwise copying the abstract would score near 1 and say nothing about summarising.
// Every method is compared twice, at equal length: as many sentences as the overview's size for
// that paper, and within the overview's budget of words and cap of sentences.
//
// `summarySection` is a section of the `npm run eval` harness (tables on stdout, details as JSON:
// every paper's chosen sentences and scores per method); `evaluateSummaries()` returns the tables
// alone; `npm run eval:summaries` runs it on its own, and with `-- --development` on the
// development papers alone (for choosing a method: the held-out ones are scored once per method).
import { readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ingest } from '../../main/core/ingest/index.js';
import { summaryContext, type SummaryContext } from '../../main/core/summary/context.js';
import { abstractBlocks } from '../../main/core/summary/facts/paper.js';
import { DEFAULT_OVERVIEW, MAX_OVERVIEW, NARRATIVE_OVERVIEW, overviewBudget, overviewCap, overviewIndices, overviewSize, WORDS_PER_SENTENCE, type OverviewMethod } from '../../main/core/summary/overview.js';
import { printTable, type BenchTable } from '../bench/table.js';
import { fixture, hasFixture, repoRoot } from '../support/fixtures.js';
import { rouge, rougeTokens, type Rouge } from './rouge.js';

interface Reference {
  doc: string;
  reference: string;
}

/** How long every method's overview may be: as many sentences as Lectern's, or a budget in words. */
export type Limit = { count: number } | { budget: number; maxCount: number };

type Method = (ctx: SummaryContext, limit: Limit) => number[];

/**
 * The first `count` of a ranking, or, under a budget, each sentence of the ranking in turn that
 * still fits (Sentence.units), at most `maxCount` (Lectern's own cap, overviewCap()): the rule
 * every ranking method shares.
 */
export function takeRanked(ctx: SummaryContext, ranked: number[], limit: Limit): number[] {
  if ('count' in limit) return ranked.slice(0, limit.count).sort((a, b) => a - b);
  const chosen: number[] = [];
  let used = 0;
  for (const i of ranked) {
    if (chosen.length === limit.maxCount) break;
    if (used + ctx.sentences[i].units > limit.budget) continue;
    chosen.push(i);
    used += ctx.sentences[i].units;
  }
  return chosen.sort((a, b) => a - b);
}

/**
 * A variant of Lectern's method: exactly the count, or its own selection within its own budget
 * and cap (overviewBudget, overviewCap: what limitFor gives every other method).
 */
function lectern(method: OverviewMethod): Method {
  return (ctx, limit) => overviewIndices(ctx, 'count' in limit ? limit.count : undefined, method);
}

/** The candidate sentences after the abstract, in document order: lead-k. */
const leadK: Method = (ctx, limit) =>
  takeRanked(
    ctx,
    ctx.sentences.filter((s) => s.eligible).map((s) => s.index),
    limit,
  );

/**
 * TextRank (Mihalcea & Tarau, 2004): PageRank (d = 0.85) over the sentences, edges weighted by
 * shared content terms over log lengths; the best ranked, in document order.
 */
const textRank: Method = (ctx, limit) => {
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
  return takeRanked(
    ctx,
    nodes
      .map((i, a) => ({ i, r: rank[a] }))
      .sort((x, y) => y.r - x.r)
      .map((x) => x.i),
    limit,
  );
};

/** Section-aware centrality alone: the most central, no coverage or diversity. */
const centralityTopK: Method = (ctx, limit) =>
  takeRanked(
    ctx,
    ctx.sentences
      .filter((s) => s.eligible)
      .sort((a, b) => ctx.centrality[b.index] - ctx.centrality[a.index])
      .map((s) => s.index),
    limit,
  );

/**
 * The method before the budget (2026-12-05, earlier; what novels and books still get): gain per
 * √length, salience = centrality, λ = 0.3, its size in sentences; held to the budget where the
 * others are, so that the same-budget table compares like with like.
 */
export const PREVIOUS_OVERVIEW: OverviewMethod = { ...NARRATIVE_OVERVIEW, budgeted: true };

const withSelection = (selection: Partial<OverviewMethod['selection']>): OverviewMethod => ({ ...DEFAULT_OVERVIEW, selection: { ...DEFAULT_OVERVIEW.selection, ...selection } });
const withCentrality = (centrality: Partial<OverviewMethod['centrality']>): OverviewMethod => ({ ...DEFAULT_OVERVIEW, centrality: { ...DEFAULT_OVERVIEW.centrality, ...centrality } });

const METHODS: { name: string; pick: Method }[] = [
  { name: 'Lectern', pick: lectern(DEFAULT_OVERVIEW) },
  { name: 'lead-k', pick: leadK },
  { name: 'TextRank', pick: textRank },
  { name: 'Lectern before the budget (gain/√length, salience = centrality)', pick: lectern(PREVIOUS_OVERVIEW) },
  { name: 'variant: gain per word (r = 1)', pick: lectern(withSelection({ lengthExponent: 1 })) },
  { name: 'variant: salience without the length', pick: lectern(withSelection({ lengthSalience: false })) },
  { name: 'variant: no singleton check', pick: lectern(withSelection({ singleton: false })) },
  { name: 'variant: + introduction/conclusion prior (×2)', pick: lectern({ ...DEFAULT_OVERVIEW, framing: 1 }) },
  { name: 'variant: + title and heading terms (×2, ×1.5)', pick: lectern({ ...DEFAULT_OVERVIEW, titleTerms: 1 }) },
  { name: 'variant: boundary bonus on top-level sections only', pick: lectern(withCentrality({ subsectionShare: 0 })) },
  { name: 'ablation: centrality top-k', pick: centralityTopK },
  { name: 'ablation: no boundary bonus', pick: lectern(withCentrality({ boundary: 0 })) },
  { name: 'ablation: no diversity reward', pick: lectern(withSelection({ diversity: 0 })) },
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

/** The two comparisons: at Lectern's sentence count for the paper, and at its word budget. */
export type Comparison = 'same sentences' | 'same budget';
const COMPARISONS: Comparison[] = ['same sentences', 'same budget'];

export interface SummaryEvalDetail {
  doc: string;
  set: 'development' | 'held-out';
  comparison: Comparison;
  method: string;
  rouge: Rouge;
  sentences: { text: string; start: number; end: number }[];
}

export interface SummaryEvalOptions {
  /** Score the held-out papers too (off while choosing a method: they are reported once per method). */
  heldOut: boolean;
}

export async function runSummaryEvaluation(options: SummaryEvalOptions = { heldOut: true }): Promise<{ tables: BenchTable[]; details: SummaryEvalDetail[] }> {
  const dev = await evaluateSet(loadReferences().filter((r) => hasFixture(r.doc)), 'development');
  const heldOut = options.heldOut ? await evaluateSet(HELD_OUT_PAPERS.filter(hasFixture).map((doc) => ({ doc, reference: null })), 'held-out') : null;
  return { tables: tablesOf(dev, heldOut), details: [...dev.details, ...(heldOut?.details ?? [])] };
}

/** The harness's section (test/eval/run.ts SECTIONS): no model, no questions needed. */
export const summarySection = { name: 'summary', run: () => runSummaryEvaluation() };

export async function evaluateSummaries(): Promise<BenchTable[]> {
  return (await runSummaryEvaluation()).tables;
}

function tablesOf(dev: SetResult, heldOut: SetResult | null): BenchTable[] {
  const tables: BenchTable[] = [];
  for (const comparison of COMPARISONS) {
    const limit = comparison === 'same sentences' ? "as many sentences as the overview's size, overviewSize()" : "the overview's budget in words, overviewBudget()";
    tables.push(meansTable(`Summary overview against the papers' abstracts, development set, ${comparison} (ROUGE F1 %, mean of ${dev.papers} papers, ${limit})`, dev, comparison));
    if (heldOut !== null) {
      tables.push(meansTable(`Summary overview against the abstracts of ${heldOut.papers} other fixture papers, not tuned on, ${comparison} (ROUGE F1 %, abstract taken from the paper by rule, ${limit})`, heldOut, comparison));
    }
  }
  tables.push({
    title: 'Summary ROUGE per paper (F1 %)',
    columns: ['paper', 'comparison', 'method', 'sentences', 'tokens', 'ROUGE-1', 'ROUGE-2', 'ROUGE-L'],
    rows: [...dev.perDoc, ...(heldOut?.perDoc ?? [])],
  });
  return tables;
}

interface Sums {
  rouge: Rouge;
  /** Tokens of the method's overviews, summed over the papers. */
  tokens: number;
}

interface SetResult {
  papers: number;
  details: SummaryEvalDetail[];
  sums: Map<Comparison, Sums[]>;
  referenceTokens: number;
  perDoc: (string | number)[][];
}

function meansTable(title: string, r: SetResult, comparison: Comparison): BenchTable {
  const n = Math.max(1, r.papers);
  const sums = r.sums.get(comparison) as Sums[];
  return {
    title,
    columns: ['method', 'ROUGE-1', 'ROUGE-2', 'ROUGE-L', 'tokens'],
    rows: [
      ...METHODS.map((m, i) => [m.name, pct(sums[i].rouge.rouge1 / n), pct(sums[i].rouge.rouge2 / n), pct(sums[i].rouge.rougeL / n), Math.round(sums[i].tokens / n)]),
      ['(the abstracts)', '', '', '', Math.round(r.referenceTokens / n)],
    ],
    notes: [
      comparison === 'same sentences'
        ? 'Every method picks from the same candidate sentences (summary/sentences.ts), as many as overviewSize() gives for that paper (7–9), with no budget; tokens: the mean length of its overviews.'
        : `Every method picks from the same candidate sentences, within the same budget of ${WORDS_PER_SENTENCE} words (Sentence.units) per sentence of the overview's size (overviewBudget()), and at most as many sentences as Lectern may take (overviewCap(): ${MAX_OVERVIEW}, or a quarter of the candidates when fewer): a ranking method takes each of its sentences in turn that still fits.`,
      'Tokens: NFKC, lower case, letter-digit runs, each CJK character alone; no stemming, no stop words (test/eval/rouge.ts).',
    ],
  };
}

/** A paper ready to be scored: its context without the abstract, and the reference. */
export interface ScoredPaper {
  doc: string;
  ctx: SummaryContext;
  reference: string;
}

export async function loadPaper(paper: Paper): Promise<ScoredPaper> {
  const doc = await ingest(new Uint8Array(await readFile(fixture(paper.doc))), { fileName: basename(paper.doc) });
  const ctx = summaryContext(doc, { excludeAbstract: true });
  if (abstractBlocks(ctx.structure) === null) throw new Error(`${paper.doc}: no abstract found, so it cannot be excluded`);
  const reference = paper.reference ?? abstractOf(ctx);
  if (reference.length === 0) throw new Error(`${paper.doc}: no abstract text found`);
  return { doc: paper.doc, ctx, reference };
}

/** The limit of a comparison for one paper: the overview's size in sentences, or its budget in words. */
export function limitFor(ctx: SummaryContext, comparison: Comparison): Limit {
  const eligible = ctx.sentences.filter((s) => s.eligible).length;
  return comparison === 'same sentences' ? { count: overviewSize(eligible) } : { budget: overviewBudget(eligible), maxCount: overviewCap(eligible) };
}

async function evaluateSet(papers: Paper[], set: SummaryEvalDetail['set']): Promise<SetResult> {
  const perDoc: (string | number)[][] = [];
  const details: SummaryEvalDetail[] = [];
  const sums = new Map<Comparison, Sums[]>(COMPARISONS.map((c) => [c, METHODS.map(() => ({ rouge: { rouge1: 0, rouge2: 0, rougeL: 0 }, tokens: 0 }))]));
  let referenceTokens = 0;
  for (const paper of papers) {
    const { doc, ctx, reference } = await loadPaper(paper);
    referenceTokens += rougeTokens(reference).length;
    for (const comparison of COMPARISONS) {
      const limit = limitFor(ctx, comparison);
      METHODS.forEach((m, i) => {
        const chosen = m.pick(ctx, limit).map((s) => ({ text: ctx.doc.text.slice(ctx.sentences[s].start, ctx.sentences[s].end), start: ctx.sentences[s].start, end: ctx.sentences[s].end }));
        const text = chosen.map((c) => c.text).join(' ');
        const r: Rouge = rouge(text, reference);
        const tokens = rougeTokens(text).length;
        details.push({ doc, set, comparison, method: m.name, rouge: r, sentences: chosen });
        const sum = (sums.get(comparison) as Sums[])[i];
        sum.tokens += tokens;
        sum.rouge.rouge1 += r.rouge1;
        sum.rouge.rouge2 += r.rouge2;
        sum.rouge.rougeL += r.rougeL;
        perDoc.push([basename(doc), comparison, m.name, chosen.length, tokens, pct(r.rouge1), pct(r.rouge2), pct(r.rougeL)]);
      });
    }
  }
  return { papers: papers.length, details, sums, referenceTokens, perDoc };
}

function pct(x: number): number {
  return Math.round(x * 1000) / 10;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // `--development`: the development papers alone, for choosing a method without seeing the held-out ones.
  const { tables, details } = await runSummaryEvaluation({ heldOut: !process.argv.includes('--development') });
  for (const table of tables) printTable(table);
  // `--out FILE`: the details as JSON.
  const out = process.argv.indexOf('--out');
  if (out >= 0 && process.argv[out + 1] !== undefined) writeFileSync(process.argv[out + 1], `${JSON.stringify(details, null, 2)}\n`);
}
