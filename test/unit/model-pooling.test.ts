import { describe, expect, it } from 'vitest';
import { PassagePooler, passageTokenRanges, type PassageTokens } from '../../main/core/reading/pooling.js';
import { addToBuckets, bucketOf, emptyBuckets, scoreFromBuckets } from '../../main/core/reading/score.js';

const E = 3;
const N = 40; // stream positions

// Deterministic per-position outputs.
const logprob = (s: number): number => -0.1 * ((s % 7) + 1);
const embedding = (s: number, k: number): number => Math.sin(s * 1.3 + k) + (k === 0 ? 2 : 0);

function call(from: number, len: number): [Float32Array, Float32Array] {
  const T = len + 3; // trailing padding the pooler must ignore
  const lp = new Float32Array(T).fill(99);
  const em = new Float32Array(T * E).fill(99);
  for (let i = 0; i < len; i++) {
    lp[i] = logprob(from + i);
    for (let k = 0; k < E; k++) em[i * E + k] = embedding(from + i, k);
  }
  return [lp, em];
}

const passages: PassageTokens[] = [
  { ordinal: 0, tokenStart: 1, tokenEnd: 9 },
  { ordinal: 1, tokenStart: 9, tokenEnd: 30 },
  { ordinal: 2, tokenStart: 30, tokenEnd: 30 }, // empty
  { ordinal: 3, tokenStart: 30, tokenEnd: 40 },
];

function pool(callLen: number, restartAt?: number): ReturnType<PassagePooler['takeClosed']> {
  let pooler = new PassagePooler(passages, E);
  const out = [];
  for (let from = 0; from < N; from += callLen) {
    const len = Math.min(callLen, N - from);
    pooler.add(from, len, ...call(from, len));
    out.push(...pooler.takeClosed());
    if (restartAt !== undefined && from + len === restartAt) {
      const saved = pooler.encodeOpen();
      pooler = new PassagePooler(passages, E);
      pooler.restore(restartAt, saved);
    }
  }
  return out;
}

describe('PassagePooler', () => {
  it('pools each passage: mean surprisal of its tokens, L2-normalised mean embedding', () => {
    const out = pool(40);
    expect(out.map((p) => p.ordinal)).toEqual([0, 1, 2, 3]);
    const p1 = out[1];
    // Tokens at stream 9…29 are predicted by logprobs at 8…28.
    let nats = 0;
    for (let s = 8; s < 29; s++) nats -= logprob(s);
    expect(p1.surprisal).toBeCloseTo(nats / 21, 6);
    const mean = [0, 1, 2].map((k) => {
      let sum = 0;
      for (let s = 9; s < 30; s++) sum += embedding(s, k);
      return sum;
    });
    const norm = Math.hypot(...mean);
    mean.forEach((v, k) => expect(p1.embedding[k]).toBeCloseTo(v / norm, 6));
    expect(out[2].surprisal).toBeNull();
    expect(Array.from(out[2].embedding)).toEqual([0, 0, 0]);
  });

  it('gives the same outputs for any call length, and across a save and restore', () => {
    const whole = pool(40);
    for (const variant of [pool(1), pool(8), pool(13), pool(8, 24), pool(5, 10)]) {
      expect(variant).toHaveLength(whole.length);
      variant.forEach((p, i) => {
        expect(p.ordinal).toBe(whole[i].ordinal);
        expect(p.surprisal ?? 0).toBeCloseTo(whole[i].surprisal ?? 0, 12);
        p.embedding.forEach((v, k) => expect(v).toBeCloseTo(whole[i].embedding[k], 6));
      });
    }
  });

  it('lays out a call as one segment per passage, and pools per-segment sums as it pools embeddings', () => {
    const whole = pool(40);
    // Passages 0 and 1 meet inside the call [5, 13); positions past the valid 8 are padding.
    const pooler = new PassagePooler(passages, E);
    const first = pooler.segments(0, 5, 8);
    expect(Array.from(first.of)).toEqual([-1, 0, 0, 0, 0, -1, -1, -1]); // BOS is in no passage
    expect(first.slots).toBe(16);
    // A graph's sums: each segment's embeddings summed in float32, as the reading graph does.
    const run = (from: number, len: number, T: number): Float32Array => {
      const { of, slots } = pooler.segments(from, len, T);
      const sums = new Float32Array(slots * E);
      of.forEach((k, i) => {
        for (let e = 0; k >= 0 && e < E; e++) sums[k * E + e] += embedding(from + i, e);
      });
      return sums;
    };
    const out = [];
    for (const [from, len] of [[0, 5], [5, 8], [13, 27]] as const) {
      const sums = run(from, len, len + 6);
      expect(sums.subarray(3 * E).every((v) => v === 0)).toBe(true); // never more than 3 segments
      pooler.addSums(from, len, call(from, len)[0], sums);
      out.push(...pooler.takeClosed());
    }
    expect(out.map((p) => p.ordinal)).toEqual(whole.map((p) => p.ordinal));
    out.forEach((p, i) => {
      expect(p.surprisal ?? 0).toBeCloseTo(whole[i].surprisal ?? 0, 12);
      p.embedding.forEach((v, k) => expect(v).toBeCloseTo(whole[i].embedding[k], 6));
    });
  });

  it('maps character ranges to stream positions through token offsets', () => {
    // Tokens start at chars 0,0,1,2,2,2,3 (multi-byte characters share an offset).
    const offsets = Int32Array.from([0, 0, 1, 2, 2, 2, 3]);
    expect(
      passageTokenRanges(
        [
          { ordinal: 1, start: 2, end: 4 },
          { ordinal: 0, start: 0, end: 2 },
        ],
        offsets,
      ),
    ).toEqual([
      { ordinal: 0, tokenStart: 1, tokenEnd: 4 },
      { ordinal: 1, tokenStart: 4, tokenEnd: 8 },
    ]);
  });
});

describe('score buckets', () => {
  it('buckets by document token position', () => {
    expect([0, 2047, 2048, 8191, 8192, 32768, 131071, 131072, 5e6].map(bucketOf)).toEqual([0, 0, 1, 1, 2, 3, 3, 4, 4]);
  });

  it('sums nats and bytes per bucket and reports bits per byte', () => {
    const buckets = emptyBuckets();
    const lp = new Float32Array(3000).fill(-Math.LN2); // one bit per token
    addToBuckets(buckets, 0, 3000, lp, (s) => (s % 2 === 0 ? 2 : 1));
    expect(buckets[0].tokens).toBe(2048);
    expect(buckets[1].tokens).toBe(952);
    const score = scoreFromBuckets(buckets);
    expect(score.tokens).toBe(3000);
    expect(score.bytes).toBe(4500);
    expect(score.bits_per_byte).toBeCloseTo(3000 / 4500, 6);
    expect(score.by_position).toEqual([
      { from: 0, to: 2048, bits_per_byte: expect.closeTo(2048 / 3072, 6) },
      // The document ends at token 3,000: the bucket says so rather than 8,192.
      { from: 2048, to: 3000, bits_per_byte: expect.closeTo(952 / 1428, 6) },
    ]);
  });
});
