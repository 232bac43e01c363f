// Per-passage outputs accumulated while the token stream goes by: mean surprisal of the
// passage's tokens and its mean-pooled, L2-normalised embedding, summed here from a call's
// per-token embeddings or, for a graph that sums per passage itself, from its per-segment
// sums. Sums are float64 and the partial sums of passages open at a checkpoint are saved with
// it, so a resumed reading produces the same vectors as an uninterrupted one.
//
// Stream positions: 0 is BOS, s = t + 1 holds document token t. A passage whose document
// tokens are [a, b) takes its embeddings at stream positions [a + 1, b + 1) (the state after
// each of its tokens) and its surprisal from the logprobs at positions [a, b) (each predicts
// the next token, i.e. the passage's own tokens).
import type { PassageOutput } from '../store/readings.js';
import type { PassageSegments } from '../model/session.js';
import { firstIndexAtOrAfter } from '../sorted.js';

export interface PassageTokens {
  ordinal: number;
  /** Stream positions of the passage's tokens: [tokenStart, tokenEnd). */
  tokenStart: number;
  tokenEnd: number;
}

interface Overlap {
  ordinal: number;
  lpFrom: number;
  lpTo: number;
  emFrom: number;
  emTo: number;
}

interface OpenPassage {
  nats: number;
  scored: number;
  embedded: number;
  sum: Float64Array;
}

/** Maps passages' character ranges to stream positions through the tokens' start offsets. */
export function passageTokenRanges(
  passages: readonly { ordinal: number; start: number; end: number }[],
  offsets: Int32Array,
): PassageTokens[] {
  const firstAtOrAfter = (char: number): number => firstIndexAtOrAfter(offsets.length, (i) => offsets[i], char);
  return passages
    .map((p) => ({ ordinal: p.ordinal, tokenStart: firstAtOrAfter(p.start) + 1, tokenEnd: firstAtOrAfter(p.end) + 1 }))
    .sort((x, y) => x.tokenStart - y.tokenStart || x.ordinal - y.ordinal);
}

export class PassagePooler {
  private readonly open = new Map<number, OpenPassage>();
  private closed: PassageOutput[] = [];
  /** Index of the first passage not yet closed, in tokenStart order. */
  private next = 0;

  constructor(
    private readonly passages: readonly PassageTokens[],
    private readonly dim: number,
  ) {}

  /**
   * Adds one call's outputs. `from` is the call's first stream position; `count` the valid
   * positions in it. Calls must come in stream order without gaps. Without logprobs (the
   * reading graph) the passages' surprisal stays null.
   */
  add(from: number, count: number, logprobs: Float32Array | null, embeddings: Float32Array): void {
    const E = this.dim;
    for (const o of this.overlaps(from, count)) {
      const acc = this.addSurprisal(o, from, logprobs);
      for (let s = o.emFrom; s < o.emTo; s++) {
        const row = (s - from) * E;
        for (let k = 0; k < E; k++) acc.sum[k] += embeddings[row + k];
      }
      acc.embedded += o.emTo - o.emFrom;
    }
    this.closeThrough(from + count);
  }

  /**
   * The segments of a call of T positions for a graph that sums embeddings per passage itself:
   * each passage with tokens in [from, from + count) is one segment, in order; other positions
   * (padding, text between passages) are −1. Slots round up to a multiple of 16, so a reading's
   * calls have few distinct shapes (a GPU keeps buffers by size).
   */
  segments(from: number, count: number, T: number): PassageSegments {
    const of = new Float32Array(T).fill(-1);
    let k = 0;
    for (const o of this.overlaps(from, count)) {
      if (o.emFrom < o.emTo) of.fill(k++, o.emFrom - from, o.emTo - from);
    }
    return { of, slots: Math.max(16, Math.ceil(k / 16) * 16) };
  }

  /** Adds one call's outputs from a graph given `segments(from, count, T)`: its per-segment sums. */
  addSums(from: number, count: number, logprobs: Float32Array | null, sums: Float32Array): void {
    const E = this.dim;
    let k = 0;
    for (const o of this.overlaps(from, count)) {
      const acc = this.addSurprisal(o, from, logprobs);
      if (o.emFrom >= o.emTo) continue;
      const row = k++ * E;
      for (let e = 0; e < E; e++) acc.sum[e] += sums[row + e];
      acc.embedded += o.emTo - o.emFrom;
    }
    this.closeThrough(from + count);
  }

  /**
   * Passages with tokens in the call [from, from + count), in order, and the stream ranges of
   * the call they take logprobs from ([tokenStart − 1, tokenEnd − 1)) and embeddings from
   * ([tokenStart, tokenEnd)).
   */
  private overlaps(from: number, count: number): Overlap[] {
    const to = from + count;
    const out: Overlap[] = [];
    for (let i = this.next; i < this.passages.length; i++) {
      const p = this.passages[i];
      if (p.tokenStart - 1 >= to) break;
      if (p.tokenEnd <= from) continue;
      out.push({
        ordinal: p.ordinal,
        lpFrom: Math.max(from, p.tokenStart - 1),
        lpTo: Math.min(to, p.tokenEnd - 1),
        emFrom: Math.max(from, p.tokenStart),
        emTo: Math.min(to, p.tokenEnd),
      });
    }
    return out;
  }

  private addSurprisal(o: Overlap, from: number, logprobs: Float32Array | null): OpenPassage {
    let acc = this.open.get(o.ordinal);
    if (!acc) {
      acc = { nats: 0, scored: 0, embedded: 0, sum: new Float64Array(this.dim) };
      this.open.set(o.ordinal, acc);
    }
    for (let s = o.lpFrom; logprobs && s < o.lpTo; s++) {
      acc.nats -= logprobs[s - from];
      acc.scored++;
    }
    return acc;
  }

  /** Closes every passage whose tokens all lie before stream position `to`. */
  closeThrough(to: number): void {
    while (this.next < this.passages.length && this.passages[this.next].tokenEnd <= to) {
      const p = this.passages[this.next++];
      const acc = this.open.get(p.ordinal) ?? { nats: 0, scored: 0, embedded: 0, sum: new Float64Array(this.dim) };
      this.open.delete(p.ordinal);
      this.closed.push({
        ordinal: p.ordinal,
        tokenStart: p.tokenStart,
        tokenEnd: p.tokenEnd,
        surprisal: acc.scored > 0 ? acc.nats / acc.scored : null,
        embedding: normalisedMean(acc.sum, acc.embedded),
      });
    }
  }

  /** Passages closed since the last call. */
  takeClosed(): PassageOutput[] {
    const out = this.closed;
    this.closed = [];
    return out;
  }

  /** Partial sums of open passages, to store with a checkpoint. */
  encodeOpen(): Buffer {
    const E = this.dim;
    const rec = 8 * (4 + E);
    const buf = Buffer.alloc(4 + this.open.size * rec);
    buf.writeUInt32LE(this.open.size, 0);
    let at = 4;
    for (const [ordinal, acc] of this.open) {
      buf.writeDoubleLE(ordinal, at);
      buf.writeDoubleLE(acc.nats, at + 8);
      buf.writeDoubleLE(acc.scored, at + 16);
      buf.writeDoubleLE(acc.embedded, at + 24);
      for (let k = 0; k < E; k++) buf.writeDoubleLE(acc.sum[k], at + 32 + 8 * k);
      at += rec;
    }
    return buf;
  }

  /** Continues from a checkpoint at stream position `offset` with its saved partial sums. */
  restore(offset: number, open: Buffer): void {
    const E = this.dim;
    const rec = 8 * (4 + E);
    const count = open.readUInt32LE(0);
    if (open.length !== 4 + count * rec) throw new Error('checkpoint: open-passage sums have the wrong size for this model');
    this.open.clear();
    this.closed = [];
    let at = 4;
    for (let i = 0; i < count; i++) {
      const sum = new Float64Array(E);
      for (let k = 0; k < E; k++) sum[k] = open.readDoubleLE(at + 32 + 8 * k);
      this.open.set(open.readDoubleLE(at), {
        nats: open.readDoubleLE(at + 8),
        scored: open.readDoubleLE(at + 16),
        embedded: open.readDoubleLE(at + 24),
        sum,
      });
      at += rec;
    }
    this.next = 0;
    while (this.next < this.passages.length && this.passages[this.next].tokenEnd <= offset) this.next++;
  }
}

function normalisedMean(sum: Float64Array, n: number): Float32Array {
  const out = new Float32Array(sum.length);
  if (n === 0) return out;
  let norm = 0;
  for (let k = 0; k < sum.length; k++) norm += sum[k] * sum[k];
  // The mean's direction is the sum's: normalising the sum skips a division by n.
  norm = Math.sqrt(norm);
  if (norm === 0) return out;
  for (let k = 0; k < sum.length; k++) out[k] = sum[k] / norm;
  return out;
}
