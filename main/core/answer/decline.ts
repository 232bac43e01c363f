// Whether the document answers at all. A question the document cannot answer still finds
// sentences sharing some of its words; what gives it away is what the best sentence lacks: the
// question's rare words (coverage), the kind of answer asked for (a date, a sum, a number), and
// a clear lead over the rest. Two ways to decide, each a row of the eval's table:
// - the rule (thresholds set on dev-questions-a by hand);
// - a logistic model over the same evidence (declineFeatures), trained on synthetic answerable
//   and unanswerable questions from documents outside the development set
//   (`npm run train:ranker`, test/train/train-ranker.ts; the weights in learned.ts).
import type { Question } from './question.js';
import { LEARNED_DECLINE } from './learned.js';
import type { Ranked } from './ranker.js';

export const DECLINE_FEATURES = [
  'rareCoverage',
  'windowOverlap',
  'overlap',
  'bm25f',
  'absent',
  'typeMissing',
  'typePresent',
  'score',
  'gap',
] as const;
export type DeclineFeature = (typeof DECLINE_FEATURES)[number];

/** A logistic model of "the document answers it": found when sigmoid(w·x + bias) ≥ threshold. */
export interface DeclineModel {
  weights: Record<DeclineFeature, number>;
  bias: number;
  threshold: number;
}

export interface DeclineRule {
  /** Least share of the question's rare words in the best sentence's window (with its heading). */
  minRareCoverage: number;
  /** Least IDF-weighted share of all the question's words there. */
  minOverlap: number;
  /** Whether the best few must hold the asked answer type when the question asks for one. */
  requireType: boolean;
  /** How many of the best candidates may supply the asked type. */
  typeWithin: number;
  /** When given, the model decides instead of the thresholds above. */
  model?: DeclineModel;
}

/** The hand-set rule (2026-12-05): the eval's baseline row for the decline model. */
export const RULE_DECLINE: DeclineRule = { minRareCoverage: 0.2, minOverlap: 0.1, requireType: true, typeWithin: 5 };

/** Never declines when anything matched: the eval's upper bound for hit@k. */
export const NEVER_DECLINE: DeclineRule = { minRareCoverage: 0, minOverlap: 0, requireType: false, typeWithin: 5 };

export interface Verdict {
  found: boolean;
  reason: string | null;
}

function asksType(question: Question): boolean {
  return question.expects !== null && question.expects !== 'reason';
}

/**
 * The evidence for and against an answer, from the ranked candidates: the best one's coverage of
 * the question's rare words and of its weight, its BM25F over the most it could be, the share of
 * the question's weight the document never uses, the asked type missing from (or present in) the
 * best five, the best score and its lead over the second.
 */
export function declineFeatures(question: Question, ranked: Ranked[], typeWithin = 5): Record<DeclineFeature, number> {
  const best = ranked[0];
  let total = 0;
  let absent = 0;
  let used = 0;
  const missing = new Set(question.absent);
  for (const t of question.terms) {
    const w = question.idf.get(t) ?? 0;
    total += w;
    if (missing.has(t)) absent += w;
    else used += w;
  }
  const typed = asksType(question) && ranked.slice(0, typeWithin).some((c) => c.features.answerType > 0);
  return {
    rareCoverage: best.features.rareCoverage,
    windowOverlap: best.features.windowOverlap,
    overlap: best.features.overlap,
    bm25f: used > 0 ? best.bm25f / used : 0,
    absent: total > 0 ? absent / total : 0,
    typeMissing: asksType(question) && !typed ? 1 : 0,
    typePresent: typed ? 1 : 0,
    score: best.score,
    gap: ranked.length > 1 ? best.score - ranked[1].score : 1,
  };
}

/** The model's probability that the document answers the question. */
export function answerProbability(model: DeclineModel, x: Record<DeclineFeature, number>): number {
  let z = model.bias;
  for (const f of DECLINE_FEATURES) z += model.weights[f] * x[f];
  return 1 / (1 + Math.exp(-z));
}

export function decide(question: Question, ranked: Ranked[], rule: DeclineRule = RULE_DECLINE): Verdict {
  const words = (terms: string[]): string => [...new Set(terms.map((t) => question.surface.get(t) ?? t))].slice(0, 3).join(', ');
  if (ranked.length === 0) {
    const missing = words(question.absent);
    return { found: false, reason: missing ? `no sentence uses the question's words (${missing})` : 'no sentence matches the question' };
  }
  const typeReason = `the passages about it give no ${question.expects === 'party' ? 'party' : question.expects}`;
  const missing = words(ranked[0].missing);
  const wordsReason = `no passage has the question's main words together${missing ? ` (the closest lacks: ${missing})` : ''}`;
  if (rule.model !== undefined) {
    const x = declineFeatures(question, ranked, rule.typeWithin);
    if (answerProbability(rule.model, x) >= rule.model.threshold) return { found: true, reason: null };
    return { found: false, reason: x.typeMissing > 0 ? typeReason : wordsReason };
  }
  const best = ranked[0].features;
  if (best.rareCoverage < rule.minRareCoverage || best.windowOverlap < rule.minOverlap) return { found: false, reason: wordsReason };
  if (rule.requireType && asksType(question)) {
    const typed = ranked.slice(0, rule.typeWithin).some((c) => c.features.answerType > 0);
    if (!typed) return { found: false, reason: typeReason };
  }
  return { found: true, reason: null };
}

/** The rule with the learned model deciding: a row of the eval. */
export const MODEL_DECLINE: DeclineRule = { ...RULE_DECLINE, model: LEARNED_DECLINE };

/**
 * What `ask` declines with: the rule. The model, trained on synthetic questions, separates the
 * development questions no better than chance (2026-12-05, docs/EVAL.md).
 */
export const DEFAULT_DECLINE: DeclineRule = RULE_DECLINE;
