// The two fits of `npm run train:ranker`, in plain TypeScript (full-batch gradient descent, fixed
// iterations, no randomness, so the same data give the same weights on every machine):
// - the ranker: a listwise softmax (ListNet with one-hot targets) over each question's candidates,
//   maximising the probability of the candidates whose quote answers it; a linear score, like the
//   hand weights it replaces;
// - the decline model: logistic regression of "answerable" with the two classes weighted equally.
// Both with a small L2 penalty; features whose column is all zero get weight zero.
import { LEXICAL_FEATURES, type FeatureName, type Features } from '../../main/core/answer/features.js';
import type { Weights } from '../../main/core/answer/ranker.js';
import { answerProbability, type DeclineFeature, type DeclineModel, type RuleFeature } from '../../main/core/answer/decline.js';

/** The features the ranker learns: the lexical ones (the model's gain is weighted apart: train-ranker.ts). */
export const TRAINED_FEATURES: FeatureName[] = [...LEXICAL_FEATURES];

export function featureVector(f: Features): number[] {
  return TRAINED_FEATURES.map((name) => f[name]);
}

/** A fitted vector (in TRAINED_FEATURES order) as the ranker's weights, rounded to 4 decimals; the rest 0. */
export function weightsOf(w: number[]): Weights {
  const out: Partial<Weights> = {};
  for (const name of [...LEXICAL_FEATURES, 'vectors', 'gain', 'documentGain', 'reread'] as FeatureName[]) out[name] = 0;
  TRAINED_FEATURES.forEach((name, i) => (out[name] = Math.round(w[i] * 1e4) / 1e4));
  return out as Weights;
}

export interface RankingExample {
  /** Candidates' feature vectors, in the order of `names`. */
  x: number[][];
  /** Whether each candidate's quote answers the question. */
  positive: boolean[];
}

export interface FitOptions {
  iterations: number;
  rate: number;
  l2: number;
}

export const RANKER_FIT: FitOptions = { iterations: 3000, rate: 0.5, l2: 1e-3 };
export const DECLINE_FIT: FitOptions = { iterations: 5000, rate: 0.5, l2: 1e-3 };

export function dot(w: number[], x: number[]): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i] * x[i];
  return s;
}

/** Mean over questions of −log Σ_pos softmax(w·x); questions without a positive or a negative are left out. */
export function fitRanker(
  examples: RankingExample[],
  dims: number,
  options: FitOptions = RANKER_FIT,
  /** Weights the L2 penalty pulls towards (zero when absent); the descent starts from them too. */
  prior?: number[],
): { weights: number[]; loss: number } {
  const usable = examples.filter((e) => e.positive.some(Boolean) && e.positive.some((p) => !p));
  const centre = prior ?? new Array<number>(dims).fill(0);
  const w = [...centre];
  let loss = 0;
  for (let it = 0; it < options.iterations; it++) {
    const grad = w.map((v, d) => options.l2 * (v - centre[d]));
    loss = 0;
    for (const e of usable) {
      const s = e.x.map((x) => dot(w, x));
      const max = Math.max(...s);
      const p = s.map((v) => Math.exp(v - max));
      const z = p.reduce((a, b) => a + b, 0);
      const zPos = p.reduce((a, v, i) => a + (e.positive[i] ? v : 0), 0);
      loss -= Math.log(zPos / z);
      // d(−log zPos/z)/dw = Σ_i (p_i/z − [pos] p_i/zPos) x_i
      e.x.forEach((x, i) => {
        const g = p[i] / z - (e.positive[i] ? p[i] / zPos : 0);
        if (g !== 0) for (let d = 0; d < dims; d++) grad[d] += (g * x[d]) / usable.length;
      });
    }
    loss /= Math.max(1, usable.length);
    for (let d = 0; d < dims; d++) w[d] -= options.rate * grad[d];
  }
  return { weights: w, loss };
}

/**
 * Logistic regression with a bias, each class weighted to half the total. The columns are
 * standardised for the descent (the ranker's score spans tens, coverage one) and the weights
 * returned in the original units.
 */
export function fitLogistic(x: number[][], y: boolean[], options: FitOptions = DECLINE_FIT): { weights: number[]; bias: number } {
  const dims = x[0]?.length ?? 0;
  const mean = new Array<number>(dims).fill(0);
  const sd = new Array<number>(dims).fill(0);
  for (const row of x) row.forEach((v, d) => (mean[d] += v / x.length));
  for (const row of x) row.forEach((v, d) => (sd[d] += (v - mean[d]) ** 2 / x.length));
  for (let d = 0; d < dims; d++) sd[d] = Math.sqrt(sd[d]) || 1;
  const z = x.map((row) => row.map((v, d) => (v - mean[d]) / sd[d]));
  const w = new Array<number>(dims).fill(0);
  let b = 0;
  const nPos = y.filter(Boolean).length;
  const nNeg = y.length - nPos;
  const weight = y.map((v) => (v ? 0.5 / Math.max(1, nPos) : 0.5 / Math.max(1, nNeg)));
  for (let it = 0; it < options.iterations; it++) {
    const grad = w.map((v) => options.l2 * v);
    let gb = 0;
    z.forEach((row, i) => {
      const p = 1 / (1 + Math.exp(-(dot(w, row) + b)));
      const g = weight[i] * (p - (y[i] ? 1 : 0));
      gb += g;
      for (let d = 0; d < dims; d++) grad[d] += g * row[d];
    });
    for (let d = 0; d < dims; d++) w[d] -= options.rate * grad[d];
    b -= options.rate * gb;
  }
  const weights = w.map((v, d) => v / sd[d]);
  return { weights, bias: b - weights.reduce((s, v, d) => s + v * mean[d], 0) };
}

/**
 * The decline model over the named features (rows in their order): the logistic fit, weights
 * rounded to 4 decimals, and the threshold at which at most `declinedShare` of the answerable
 * rows are declined.
 */
export function fitDeclineModel(rows: number[][], answerable: boolean[], features: ReadonlyArray<DeclineFeature | RuleFeature>, declinedShare: number): DeclineModel {
  const { weights, bias } = fitLogistic(rows, answerable);
  const draft: DeclineModel = { weights: Object.fromEntries(features.map((f, i) => [f, Math.round(weights[i] * 1e4) / 1e4])), bias: Math.round(bias * 1e4) / 1e4, threshold: 0 };
  const positives = rows
    .filter((_, i) => answerable[i])
    .map((x) => answerProbability(draft, Object.fromEntries(features.map((f, i) => [f, x[i]]))))
    .sort((a, b) => a - b);
  return { ...draft, threshold: Math.floor(positives[Math.floor(declinedShare * positives.length)] * 1e4) / 1e4 };
}
