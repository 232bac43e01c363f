// kernels/ssd.ts against the vectors that kernels/ssd.py's float64 reference wrote
// (kernels/vectors/ssd_cases.json), and against itself: chunked = sequential for any sub-chunk
// length, and cutting a sequence anywhere and carrying the state = one pass (scan and conv).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  causalConv,
  ssdChunked,
  ssdSequential,
  type ConvInput,
  type ConvShape,
  type ScanResult,
  type SsdInput,
  type SsdShape,
} from '../../kernels/ssd.js';
import { repoRoot } from '../support/fixtures.js';
import { seededNormals } from '../support/seeded-random.js';

interface SsdCase extends SsdShape {
  name: string;
  L: number;
  pad_from: number | null;
  x: number[];
  dt: number[];
  A: number[];
  B: number[];
  C: number[];
  D: number[];
  state0: number[] | null;
  y: number[];
  state: number[];
}

interface ConvCase extends ConvShape {
  name: string;
  valid_len: number | null;
  x: number[];
  weight: number[];
  bias: number[];
  state0: number[];
  y: number[];
  state: number[];
}

const vectors = JSON.parse(readFileSync(join(repoRoot, 'kernels', 'vectors', 'ssd_cases.json'), 'utf8')) as {
  ssd: SsdCase[];
  conv: ConvCase[];
};

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

const f64 = (v: number[]): Float64Array => Float64Array.from(v);

function ssdInput(c: SsdCase): SsdInput {
  return {
    x: f64(c.x),
    dt: f64(c.dt),
    A: f64(c.A),
    B: f64(c.B),
    C: f64(c.C),
    D: f64(c.D),
    state: c.state0 ? f64(c.state0) : undefined,
  };
}

function randomCase(shape: SsdShape, seed: number): SsdInput {
  const n = seededNormals(seed);
  const fill = (len: number, f: () => number): Float64Array => Float64Array.from({ length: len }, f);
  const { T, H, P, N } = shape;
  return {
    x: fill(T * H * P, n),
    dt: fill(T * H, () => 0.5 * Math.log1p(Math.exp(n()))),
    A: fill(H, () => -Math.exp(Math.abs(n()))),
    B: fill(T * N, n),
    C: fill(T * N, n),
    D: fill(H, n),
    state: fill(H * P * N, n),
  };
}

/** The input restricted to positions [from, to), starting from `state`. */
function slice(shape: SsdShape, inp: SsdInput, from: number, to: number, state: Float64Array): [SsdShape, SsdInput] {
  const { H, P, N } = shape;
  return [
    { ...shape, T: to - from },
    {
      ...inp,
      x: inp.x.subarray(from * H * P, to * H * P),
      dt: inp.dt.subarray(from * H, to * H),
      B: inp.B.subarray(from * N, to * N),
      C: inp.C.subarray(from * N, to * N),
      state,
    },
  ];
}

describe('SSD scan', () => {
  it.each(vectors.ssd.map((c) => [c.name, c] as const))('reproduces the Python reference: %s', (_name, c) => {
    const results: ScanResult[] = [ssdSequential(c, ssdInput(c))];
    for (const L of [c.L, 1, 7, 64]) results.push(ssdChunked(c, ssdInput(c), L));
    for (const r of results) {
      expect(maxDiff(r.y, c.y)).toBeLessThan(1e-5);
      expect(maxDiff(r.state, c.state)).toBeLessThan(1e-5);
    }
  });

  it('reproduces the vectors from float32 inputs within float32 precision', () => {
    const c = vectors.ssd[1];
    const inp = ssdInput(c);
    const f32: SsdInput = {
      x: Float32Array.from(inp.x),
      dt: Float32Array.from(inp.dt),
      A: Float32Array.from(inp.A),
      B: Float32Array.from(inp.B),
      C: Float32Array.from(inp.C),
      D: Float32Array.from(inp.D ?? []),
      state: Float32Array.from(inp.state ?? []),
    };
    const r = ssdChunked(c, f32, c.L);
    expect(maxDiff(r.y, c.y)).toBeLessThan(1e-4);
  });

  it('chunked equals sequential for any sub-chunk length', () => {
    for (const [shape, seed] of [
      [{ T: 37, H: 2, P: 4, N: 8 }, 1],
      [{ T: 130, H: 3, P: 5, N: 7 }, 2],
      [{ T: 5, H: 1, P: 2, N: 3 }, 3],
    ] as const) {
      const inp = randomCase(shape, seed);
      const ref = ssdSequential(shape, inp);
      for (const L of [1, 4, 16, 32, 64, 200]) {
        const r = ssdChunked(shape, inp, L);
        expect(maxDiff(r.y, ref.y)).toBeLessThan(1e-10);
        expect(maxDiff(r.state, ref.state)).toBeLessThan(1e-10);
      }
    }
  });

  it('cut anywhere with the state carried equals one pass', () => {
    const shape = { T: 37, H: 2, P: 4, N: 8 };
    const inp = randomCase(shape, 4);
    const one = ssdSequential(shape, inp);
    const start = Float64Array.from(inp.state ?? []);
    for (const scan of [ssdSequential, (s: SsdShape, i: SsdInput) => ssdChunked(s, i, 16)]) {
      for (let cut = 0; cut <= shape.T; cut++) {
        const a = scan(...slice(shape, inp, 0, cut, start));
        const b = scan(...slice(shape, inp, cut, shape.T, a.state));
        const y = new Float64Array(one.y.length);
        y.set(a.y);
        y.set(b.y, a.y.length);
        expect(maxDiff(y, one.y)).toBeLessThan(1e-10);
        expect(maxDiff(b.state, one.state)).toBeLessThan(1e-10);
      }
    }
  });

  it('positions with dt = 0 (padding) leave the state where the real tokens left it', () => {
    const c = vectors.ssd.find((v) => v.pad_from !== null);
    expect(c).toBeDefined();
    const cut = c!.pad_from!;
    const full = ssdInput(c!);
    const head = ssdChunked(...slice(c!, full, 0, cut, f64(c!.state0 ?? [])), c!.L);
    expect(maxDiff(head.state, c!.state)).toBeLessThan(1e-10);
  });
});

describe('causal conv', () => {
  const input = (c: ConvCase): ConvInput => ({
    x: f64(c.x),
    weight: f64(c.weight),
    bias: f64(c.bias),
    state: f64(c.state0),
    validLen: c.valid_len ?? undefined,
  });

  it.each(vectors.conv.map((c) => [c.name, c] as const))('reproduces the Python reference: %s', (_name, c) => {
    const r = causalConv(c, input(c));
    expect(maxDiff(r.y, c.y)).toBeLessThan(1e-5);
    expect(maxDiff(r.state, c.state)).toBeLessThan(1e-5);
  });

  it('cut anywhere with the state carried equals one pass, and validLen picks the state at the cut', () => {
    const c = vectors.conv[0];
    const { T, C } = c;
    const base = input(c);
    const one = causalConv(c, { ...base, validLen: undefined });
    for (let cut = 0; cut <= T; cut++) {
      const a = causalConv({ ...c, T: cut }, { ...base, x: base.x.subarray(0, cut * C), validLen: undefined });
      const b = causalConv({ ...c, T: T - cut }, { ...base, x: base.x.subarray(cut * C), state: a.state, validLen: undefined });
      const y = new Float64Array(one.y.length);
      y.set(a.y);
      y.set(b.y, a.y.length);
      expect(maxDiff(y, one.y)).toBeLessThan(1e-12);
      expect(maxDiff(b.state, one.state)).toBeLessThan(1e-12);
      expect(maxDiff(causalConv(c, { ...base, validLen: cut }).state, a.state)).toBeLessThan(1e-12);
    }
  });

  it('rejects a validLen outside the call', () => {
    const c = vectors.conv[0];
    expect(() => causalConv(c, { ...input(c), validLen: c.T + 1 })).toThrow(RangeError);
  });
});
