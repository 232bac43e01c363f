// The overview: 5–10 of the document's own sentences, chosen for coverage without redundancy
// (selection.ts over centrality.ts) within a length budget, in document order, each cited.
import type { DocumentGenre, SummarySentence } from '../../../common/types.js';
import { sectionCentrality, DEFAULT_CENTRALITY, type CentralityWeights } from './centrality.js';
import type { SummaryContext } from './context.js';
import { framingPrior, headingTermBoost, sectionDepths } from './emphasis.js';
import { selectSentences, type SelectionWeights, DEFAULT_SELECTION } from './selection.js';
import { cite } from './structure.js';

export const MIN_OVERVIEW = 5;
export const MAX_OVERVIEW = 10;
/**
 * Words of budget per sentence of the overview's size: a typical sentence of prose, so that a
 * paper's overview (7–9 sentences) has 175–225 words, about an abstract's length.
 */
export const WORDS_PER_SENTENCE = 25;

/** One more sentence each time the eligible sentences double past 40: 5 for a memo, 10 for a long book. */
export function overviewSize(eligible: number): number {
  if (eligible <= 0) return 0;
  return Math.max(MIN_OVERVIEW, Math.min(MAX_OVERVIEW, MIN_OVERVIEW + Math.floor(Math.log2(Math.max(1, eligible / 40)))));
}

/** The overview's length budget in words (Sentence.units): its size in typical sentences. */
export function overviewBudget(eligible: number): number {
  return overviewSize(eligible) * WORDS_PER_SENTENCE;
}

/**
 * The most sentences the budget may be filled with: up to MAX_OVERVIEW short ones, but never
 * more than a quarter of what could be quoted (a one-page contract keeps 5).
 */
export function overviewCap(eligible: number): number {
  return eligible <= 0 ? 0 : Math.max(MIN_OVERVIEW, Math.min(MAX_OVERVIEW, Math.floor(eligible / 4)));
}

/** The overview's method; the evaluation's ablations vary it (test/eval/summaries.ts). */
export interface OverviewMethod {
  selection: SelectionWeights;
  centrality: CentralityWeights;
  /** Extra salience of an introduction's or conclusion's sentences (emphasis.ts); 0 for none. */
  framing: number;
  /** Extra weight of the title's terms' concepts (half of it for the headings'); 0 for none. */
  titleTerms: number;
  /** Whether the budget may be filled with more sentences than the overview's size (up to overviewCap). */
  fill: boolean;
  /** Whether the overview is chosen within overviewBudget's words; else it is overviewSize sentences. */
  budgeted: boolean;
}

// The framing prior and the title terms did not raise ROUGE on the development papers
// (2026-12-05, docs/EVAL.md), so the shipped method uses neither.
export const DEFAULT_OVERVIEW: OverviewMethod = { selection: DEFAULT_SELECTION, centrality: DEFAULT_CENTRALITY, framing: 0, titleTerms: 0, fill: true, budgeted: true };

/**
 * Novels and books keep the method of before the budget (overviewSize sentences, gain per
 * length^0.5, salience without the length). The budgeted method was chosen and measured on papers
 * (ROUGE against their abstracts); on Middlemarch and Free Culture it traded the longer sentences
 * that say who did what for 13–15-word ones and an epigraph (2026-12-05), and nothing measures a
 * novel's overview against a reference that would justify that.
 */
export const NARRATIVE_OVERVIEW: OverviewMethod = {
  ...DEFAULT_OVERVIEW,
  selection: { diversity: 0.3, lengthExponent: 0.5, pool: 300, lengthSalience: false, singleton: false },
  fill: false,
  budgeted: false,
};

/** The overview's method for a document of this genre. */
export function overviewMethod(genre: DocumentGenre): OverviewMethod {
  return genre === 'novel' || genre === 'book' ? NARRATIVE_OVERVIEW : DEFAULT_OVERVIEW;
}

/**
 * Indices (into ctx.sentences) of the overview, in document order: within the budget, or, given
 * `count`, exactly that many (the evaluation's same-length comparison), without a budget.
 */
export function overviewIndices(ctx: SummaryContext, count?: number, method: OverviewMethod = DEFAULT_OVERVIEW): number[] {
  const eligible = ctx.sentences.filter((s) => s.eligible).length;
  const size = overviewSize(eligible);
  const plain = method.framing === 0 && method.centrality === DEFAULT_CENTRALITY;
  const centrality = plain
    ? ctx.centrality
    : sectionCentrality(ctx.sentences, ctx.space, method.centrality, {
        prior: framingPrior(ctx.structure, method.framing),
        depth: sectionDepths(ctx.structure, ctx.sentences),
      });
  return selectSentences(
    {
      sentences: ctx.sentences,
      terms: ctx.terms,
      centrality,
      partOf: (s) => s.section,
      maxCount: count ?? (method.fill ? overviewCap(eligible) : size),
      minCount: count ?? Math.min(size, MIN_OVERVIEW),
      budget: count === undefined && method.budgeted ? overviewBudget(eligible) : Infinity,
      conceptBoost: method.titleTerms !== 0 ? headingTermBoost(ctx, method.titleTerms) : undefined,
    },
    method.selection,
  );
}

export function overview(ctx: SummaryContext, genre: DocumentGenre): SummarySentence[] {
  return overviewIndices(ctx, undefined, overviewMethod(genre)).map((i) => citedSentence(ctx, i));
}

export function citedSentence(ctx: SummaryContext, index: number): SummarySentence {
  const s = ctx.sentences[index];
  const citation = cite(ctx.structure, s.start, s.end, ctx.centrality[index]);
  return { text: citation.quote, citation };
}
