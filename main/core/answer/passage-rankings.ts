// Rankings of a document's passages by the model, for answering: the question's vector against the
// passages' pooled vectors, re-ranks of candidates by the relevance head and by the language
// model's own likelihood of the question, and reciprocal-rank fusion. Each ranking is a list of
// indexes into the reading's passage outputs, best first. Measured against full-text search on the
// development questions by `npm run bench -- retrieval` (docs/BENCHMARKS.md).
import type { Model } from '../model/session.js';
import { rereadFrom } from '../reading/rereader.js';
import type { Db } from '../store/db.js';
import type { PassageOutput } from '../store/readings.js';

/** Reciprocal-rank fusion's damping (the usual 60): ranks, not scores, so the scales need no calibration. */
const RRF_K = 60;

/** The vector head's mean over `ids` read alone from the empty state, L2-normalised. */
export async function queryVector(db: Db, model: Model, documentId: number, ids: Int32Array): Promise<Float32Array> {
  const { embeddings } = await rereadFrom(db, model, documentId, 0, ids);
  const E = model.manifest.embedding_dim;
  const v = new Float32Array(E);
  for (let t = 0; t < ids.length; t++) for (let e = 0; e < E; e++) v[e] += embeddings[t * E + e];
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

export function byVector(outputs: PassageOutput[], q: Float32Array): number[] {
  const score = outputs.map(({ embedding }) => embedding.reduce((s, x, i) => s + x * q[i], 0));
  return score.map((_, i) => i).sort((a, b) => score[b] - score[a]);
}

/**
 * The first `count` candidates in the order of the relevance head: each re-read from
 * its own starting state with the question first ([question, sep, passage], as the head was
 * trained), scored by its highest logit over the passage.
 */
export async function byRelevance(db: Db, model: Model, documentId: number, stream: Int32Array, outputs: PassageOutput[],
  question: Int32Array, candidates: number[], count: number): Promise<number[]> {
  const score = new Map<number, number>();
  for (const o of candidates.slice(0, count)) {
    const { tokenStart, tokenEnd } = outputs[o];
    const ids = new Int32Array(question.length + 1 + tokenEnd - tokenStart);
    ids.set(question);
    ids[question.length] = model.manifest.specials.sep;
    ids.set(stream.subarray(tokenStart, tokenEnd), question.length + 1);
    const { relevance } = await rereadFrom(db, model, documentId, tokenStart, ids);
    score.set(o, Math.max(...relevance.subarray(question.length + 1)));
  }
  return highestFirst(score);
}

/**
 * The first `count` candidates in the order of log p(question | passage): each passage
 * read alone from the empty state, then a paragraph break and the question; the sum over the
 * question's tokens after the break. No head is involved: this is what the language model itself
 * says, the baseline a trained re-ranker has to beat.
 */
export async function byLikelihood(db: Db, model: Model, documentId: number, stream: Int32Array, outputs: PassageOutput[],
  question: Int32Array, candidates: number[], count: number): Promise<number[]> {
  const score = new Map<number, number>();
  for (const o of candidates.slice(0, count)) {
    const passage = stream.subarray(outputs[o].tokenStart, outputs[o].tokenEnd);
    const ids = new Int32Array(passage.length + question.length);
    ids.set(passage);
    ids.set(question, passage.length);
    // logprobs[i] is log p(ids[i + 1]), so from passage.length on they score the question's tokens
    // after its first (the break); the last one is for the padding.
    const { logprobs } = await rereadFrom(db, model, documentId, 0, ids);
    score.set(o, logprobs.subarray(passage.length, ids.length - 1).reduce((a, b) => a + b, 0));
  }
  return highestFirst(score);
}

/** Reciprocal-rank fusion of rankings (lists of passage indexes, best first). */
export function fused(...rankings: number[][]): number[] {
  const score = new Map<number, number>();
  for (const ranking of rankings) ranking.forEach((o, r) => score.set(o, (score.get(o) ?? 0) + 1 / (RRF_K + r + 1)));
  return highestFirst(score);
}

export function highestFirst(score: Map<number, number>): number[] {
  return [...score.keys()].sort((a, b) => score.get(b)! - score.get(a)!);
}
