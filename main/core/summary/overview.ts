// The overview: 5–10 of the document's own sentences, chosen for coverage without redundancy
// (selection.ts over centrality.ts), in document order, each cited.
import type { SummarySentence } from '../../../common/types.js';
import type { SummaryContext } from './context.js';
import { selectSentences, type SelectionWeights, DEFAULT_SELECTION } from './selection.js';
import { cite } from './structure.js';

export const MIN_OVERVIEW = 5;
export const MAX_OVERVIEW = 10;

/** One more sentence each time the eligible sentences double past 40: 5 for a memo, 10 for a long book. */
export function overviewSize(eligible: number): number {
  if (eligible <= 0) return 0;
  return Math.max(MIN_OVERVIEW, Math.min(MAX_OVERVIEW, MIN_OVERVIEW + Math.floor(Math.log2(Math.max(1, eligible / 40)))));
}

/** Indices (into ctx.sentences) of the overview, in document order. */
export function overviewIndices(ctx: SummaryContext, k?: number, weights: SelectionWeights = DEFAULT_SELECTION): number[] {
  const eligible = ctx.sentences.filter((s) => s.eligible).length;
  return selectSentences(
    {
      sentences: ctx.sentences,
      terms: ctx.terms,
      centrality: ctx.centrality,
      partOf: (s) => s.section,
      k: k ?? overviewSize(eligible),
    },
    weights,
  );
}

export function overview(ctx: SummaryContext): SummarySentence[] {
  return overviewIndices(ctx).map((i) => citedSentence(ctx, i));
}

export function citedSentence(ctx: SummaryContext, index: number): SummarySentence {
  const s = ctx.sentences[index];
  const citation = cite(ctx.structure, s.start, s.end, ctx.centrality[index]);
  return { text: citation.quote, citation };
}
