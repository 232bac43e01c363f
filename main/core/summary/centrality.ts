// How central each sentence is, section-aware in the manner of HipoRank (Dong et al., 2021):
// a sentence counts for what it shares with the rest of its own section and with the other
// sections (each section weighted once, whatever its length, so a long chapter does not drown
// the rest), and sentences near a section's boundaries, where authors state what a section is
// about, get a bonus. Both sums are taken against centroids, so the cost is linear in the
// number of sentences: Σ_j cos(i, j) over a section is v_i · Σ_j v_j.
import type { Sentence } from './sentences.js';
import { addInto, dotDense, type TermSpace } from './vectors.js';

export interface CentralityWeights {
  /** Weight of similarity within the section against similarity to the other sections. */
  intra: number;
  /** Size of the boundary bonus at a section's first sentence. */
  boundary: number;
  /** How fast the bonus decays with the relative position in the section. */
  decay: number;
  /** Share of the bonus a section's last sentence gets (openings matter more than closings). */
  endShare: number;
  /**
   * Share of the bonus kept per level of nesting below the top sections (1: every heading alike,
   * as shipped; 0, top-level sections only, lowered ROUGE on the development papers, docs/EVAL.md).
   */
  subsectionShare: number;
}

/** Per section (indexed like Structure.sections): a salience factor and its nesting depth. */
export interface SectionWeighting {
  prior: Float64Array;
  depth: Int32Array;
}

// Chosen 2026-12-05 on the four development papers (test/eval/summaries.ts), from a small grid;
// neighbouring settings moved ROUGE by about as much as one paper does, so these are not sharp optima.
export const DEFAULT_CENTRALITY: CentralityWeights = { intra: 0.5, boundary: 2, decay: 6, endShare: 0.4, subsectionShare: 1 };

/** Centrality of every eligible sentence (0 for the others), indexed like `sentences`. */
export function sectionCentrality(
  sentences: Sentence[],
  space: TermSpace,
  weights: CentralityWeights = DEFAULT_CENTRALITY,
  weighting?: SectionWeighting,
): Float64Array {
  const score = new Float64Array(sentences.length);
  const bySection = new Map<number, number[]>();
  for (const s of sentences) {
    if (!s.eligible) continue;
    const list = bySection.get(s.section);
    if (list === undefined) bySection.set(s.section, [s.index]);
    else list.push(s.index);
  }
  const dims = space.ids.size;
  // The document centroid as the sum of the sections' unit centroids.
  const sectionSum = new Float64Array(dims);
  const documentCentroid = new Float64Array(dims);
  for (const members of bySection.values()) {
    sectionSum.fill(0);
    for (const i of members) addInto(sectionSum, space.vectors[i]);
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += sectionSum[d] * sectionSum[d];
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < dims; d++) documentCentroid[d] += sectionSum[d] / norm;
  }
  const sections = bySection.size;
  for (const members of bySection.values()) {
    sectionSum.fill(0);
    for (const i of members) addInto(sectionSum, space.vectors[i]);
    let norm = 0;
    for (const i of members) norm += dotDense(space.vectors[i], sectionSum);
    norm = Math.sqrt(norm) || 1;
    const n = members.length;
    members.forEach((i, k) => {
      const v = space.vectors[i];
      const inSection = dotDense(v, sectionSum);
      // Mean cosine with the other sentences of the section (the sentence itself, 1 or 0, removed).
      const intra = n > 1 ? (inSection - (v.ids.length > 0 ? 1 : 0)) / (n - 1) : 0;
      // Mean cosine with the other sections' unit centroids.
      const inter = sections > 1 ? (dotDense(v, documentCentroid) - inSection / norm) / (sections - 1) : intra;
      const p = n > 1 ? k / (n - 1) : 0;
      const boundary = weights.boundary * Math.pow(weights.subsectionShare, weighting?.depth[sentences[i].section] ?? 0);
      const bonus = 1 + boundary * Math.max(Math.exp(-weights.decay * p), weights.endShare * Math.exp(-weights.decay * (1 - p)));
      score[i] = (weighting?.prior[sentences[i].section] ?? 1) * bonus * (weights.intra * intra + (1 - weights.intra) * inter);
    });
  }
  return score;
}
