// The ranker: a linear score over the features. Two sets of weights, each a row of the eval
// (`npm run eval`, docs/EVAL.md): the hand weights, set on the first half of the development
// questions (dev-questions-a), and the learned ones (learned.ts), fitted on synthetic questions
// from documents outside the development set; the eval's ablation table removes each feature.
import type { FeatureName, Features, ScoredCandidate } from './features.js';

export type Weights = Record<FeatureName, number>;

/**
 * Set by hand on dev-questions-a (2026-12-05); the feedback's weight added the same day, after
 * search's BM25 became per-document (docs/EVAL.md: it gained two questions of hit@1 and of hit@3
 * on a; quoteType and searchScore gained at most one and stay at 0).
 */
export const HAND_WEIGHTS: Weights = {
  bm25f: 1.5,
  overlap: 1,
  windowOverlap: 0.5,
  rareCoverage: 0,
  proximity: 0,
  phrase: 1,
  heading: 0,
  answerType: 0.5,
  definition: 1.5,
  search: 1.5,
  searchScore: 0,
  short: -0.5,
  quoteType: 0,
  feedback: 1,
  passage: 0,
  vectors: 0,
  gain: 0.1,
  documentGain: 0,
  reread: 0,
};

/**
 * What `ask` ranks with: the hand weights. The learned ones (LEARNED_WEIGHTS) did not beat them
 * on dev-questions-a (2026-12-05, lectern-mamba2-7m-v6: docs/EVAL.md), so they stay a row of the
 * eval's ablation.
 */
export const DEFAULT_WEIGHTS: Weights = HAND_WEIGHTS;

export function linearScore(features: Features, weights: Weights): number {
  let s = 0;
  for (const name of Object.keys(weights) as FeatureName[]) s += weights[name] * features[name];
  return s;
}

export interface Ranked extends ScoredCandidate {
  score: number;
}

/** Best first; a tie keeps document order. */
export function rank(candidates: ScoredCandidate[], weights: Weights): Ranked[] {
  return candidates
    .map((c) => ({ ...c, score: linearScore(c.features, weights) }))
    .sort((a, b) => b.score - a.score || a.unit - b.unit);
}
