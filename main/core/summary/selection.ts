// Choosing the overview's sentences for coverage without redundancy, after Lin & Bilmes (2010,
// 2011): greedy maximisation of a monotone submodular objective under a length budget,
//   F(S) = Σ_c w(c)·[c is covered by S]  +  λ · Σ_k sqrt( Σ_{j ∈ S ∩ P_k} r_j )
// where the concepts c are the document's content terms and pairs of adjacent terms, weighted
// by how many sentences use them (a concept repeated across the document is what it is about),
// and the P_k are its sections, r_j a sentence's salience: the square root rewards taking the
// next sentence from a section not yet drawn on. Each step takes the best gain per length^r
// among the sentences that still fit the budget (their cost-scaled greedy), and the result is
// compared with the greedy run started from the best single sentence (their singleton check,
// which bounds how far cost scaling can go wrong; a lone sentence is never an overview here).
//
// r_j is the sentence's centrality times its length over the mean: centrality is a cosine, the
// same for a short sentence as for a long one that says more, so without the length the
// diversity reward, divided by length^r, went to the shortest sentences (2026-12-05: 115 tokens
// for 7–9 sentences on the held-out papers, against 196 in their abstracts).
import type { Sentence } from './sentences.js';

export interface SelectionWeights {
  /** λ: weight of the diversity reward against coverage. */
  diversity: number;
  /** r: the length's exponent in the greedy ratio gain / length^r (1: gain per word). */
  lengthExponent: number;
  /** Sentences considered (the most central), bounding the cost on long books. */
  pool: number;
  /** Whether a sentence's salience r_j is its centrality times its length over the mean length (else centrality alone). */
  lengthSalience: boolean;
  /** Whether to run the singleton check. */
  singleton: boolean;
}

// Chosen 2026-12-05 on the four development papers (test/eval/summaries.ts --development; grids
// over r 0.5–1, λ 0.1–1.5, r_j with and without the length, docs/EVAL.md): r = 0.75 with λ 0.6–1.5
// led; the length in r_j added about a point; r = 1 (gain per word) was lower at every λ, since
// under a cap of 10 sentences it fills the budget with short ones. The singleton check changed
// little and is kept for its guarantee. One sentence moves ROUGE on four papers by several
// points, so this is a region, not an optimum.
export const DEFAULT_SELECTION: SelectionWeights = { diversity: 1, lengthExponent: 0.75, pool: 300, lengthSalience: true, singleton: true };

export interface SelectionInput {
  sentences: Sentence[];
  terms: string[][];
  /** Each sentence's centrality (r_j is made from it), indexed like `sentences`. */
  centrality: Float64Array;
  /** The partition for the diversity reward (a section index, or a coarser one). */
  partOf: (s: Sentence) => number;
  /** At most this many sentences. */
  maxCount: number;
  /** At least this many, when there are that many, even past the budget. */
  minCount: number;
  /** Total length in words (Sentence.units); Infinity for a count alone. */
  budget: number;
  /** Extra weight of a concept (1 for none): the title's and headings' terms. */
  conceptBoost?: (concept: string) => number;
}

/** Concepts of a sentence: its distinct terms and adjacent term pairs. */
function conceptsOf(terms: string[]): string[] {
  const out = new Set(terms);
  for (let i = 0; i + 1 < terms.length; i++) out.add(`${terms[i]} ${terms[i + 1]}`);
  return [...out];
}

interface Problem {
  pool: Sentence[];
  concepts: string[][];
  weightOf: (c: string) => number;
  coverageScale: number;
  salience: Float64Array;
  input: SelectionInput;
  weights: SelectionWeights;
}

/** The chosen sentences' indices, in document order. */
export function selectSentences(input: SelectionInput, weights: SelectionWeights = DEFAULT_SELECTION): number[] {
  const { sentences, terms, centrality } = input;
  const eligible = sentences.filter((s) => s.eligible);
  if (eligible.length === 0 || input.maxCount <= 0) return [];
  // Concept weights over the whole document, so coverage means coverage of the document.
  const df = new Map<string, number>();
  for (const s of eligible) for (const c of conceptsOf(terms[s.index])) df.set(c, (df.get(c) ?? 0) + 1);
  const pool = [...eligible].sort((a, b) => centrality[b.index] - centrality[a.index]).slice(0, weights.pool);
  const maxCentrality = Math.max(1e-9, ...pool.map((s) => centrality[s.index]));
  const concepts = pool.map((s) => conceptsOf(terms[s.index]).filter((c) => (df.get(c) ?? 0) >= 2));
  const boost = input.conceptBoost ?? ((): number => 1);
  const weightOf = (c: string): number => Math.log(1 + (df.get(c) as number)) * boost(c);
  // Coverage in units of the best single sentence's, so λ means the same in a memo and a book.
  const coverageScale = Math.max(1e-9, ...concepts.map((cs) => cs.reduce((a, c) => a + weightOf(c), 0)));
  const meanUnits = pool.reduce((a, s) => a + s.units, 0) / pool.length;
  const salience = Float64Array.from(pool, (s) => (centrality[s.index] / maxCentrality) * (weights.lengthSalience ? s.units / meanUnits : 1));
  const problem: Problem = { pool, concepts, weightOf, coverageScale, salience, input, weights };
  const greedy = runGreedy(problem, -1);
  if (!weights.singleton) return indicesOf(pool, greedy.taken);
  // The singleton check: the best sentence that fits on its own, and the greedy run started from it.
  let single = -1;
  let singleValue = -Infinity;
  const nothing = { covered: new Set<string>(), partMass: new Map<number, number>() };
  pool.forEach((s, p) => {
    if (s.units > input.budget) return;
    const value = gainOf(problem, p, nothing.covered, nothing.partMass);
    if (value > singleValue) {
      singleValue = value;
      single = p;
    }
  });
  const seeded = single >= 0 && !greedy.taken.has(single) ? runGreedy(problem, single) : null;
  const best = seeded !== null && seeded.value > greedy.value ? seeded : greedy;
  return indicesOf(pool, best.taken);
}

/** The taken pool positions as sentence indices, in document order. */
function indicesOf(pool: Sentence[], taken: Set<number>): number[] {
  return [...taken].map((p) => pool[p].index).sort((a, b) => a - b);
}

/** F(S ∪ {p}) − F(S), given what S covers and its salience mass per part. */
function gainOf(problem: Problem, p: number, covered: Set<string>, partMass: Map<number, number>): number {
  let coverage = 0;
  for (const c of problem.concepts[p]) if (!covered.has(c)) coverage += problem.weightOf(c);
  const mass = partMass.get(problem.input.partOf(problem.pool[p])) ?? 0;
  const diversity = Math.sqrt(mass + problem.salience[p]) - Math.sqrt(mass);
  return coverage / problem.coverageScale + problem.weights.diversity * diversity;
}

/** Cost-scaled greedy from an optional first sentence; returns the set and F of it. */
function runGreedy(problem: Problem, seed: number): { taken: Set<number>; value: number } {
  const { pool, input, weights } = problem;
  const covered = new Set<string>();
  const partMass = new Map<number, number>();
  const taken = new Set<number>();
  let used = 0;
  let value = 0;
  const take = (p: number): void => {
    value += gainOf(problem, p, covered, partMass);
    taken.add(p);
    used += pool[p].units;
    for (const c of problem.concepts[p]) covered.add(c);
    const part = input.partOf(pool[p]);
    partMass.set(part, (partMass.get(part) ?? 0) + problem.salience[p]);
  };
  if (seed >= 0) take(seed);
  const limit = Math.min(input.maxCount, pool.length);
  const bestNext = (fit: boolean): number => {
    let best = -1;
    let bestValue = -Infinity;
    pool.forEach((s, p) => {
      if (taken.has(p) || (fit && used + s.units > input.budget)) return;
      const ratio = gainOf(problem, p, covered, partMass) / Math.pow(Math.max(1, s.units), weights.lengthExponent);
      if (ratio > bestValue) {
        bestValue = ratio;
        best = p;
      }
    });
    return best;
  };
  while (taken.size < limit) {
    // What fits the budget; below the minimum count, when nothing fits, the best of the rest.
    let best = bestNext(true);
    if (best < 0 && taken.size < input.minCount) best = bestNext(false);
    if (best < 0) break;
    take(best);
  }
  return { taken, value };
}
