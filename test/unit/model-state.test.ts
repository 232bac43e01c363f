import { describe, expect, it } from 'vitest';
import type { ModelManifest } from '../../main/core/model/manifest.js';
import {
  decodeState,
  encodeState,
  fromHalf,
  stateFloats,
  stateMaxAbsDiff,
  toHalf,
  zeroState,
} from '../../main/core/model/state.js';

const m = { id: 'm', n_layer: 3, conv_dim: 40, d_conv: 4, nheads: 2, headdim: 8, d_state: 4 } as ModelManifest;

function randomState(seed: number): ReturnType<typeof zeroState> {
  const s = zeroState(m);
  let x = seed;
  for (const a of [...s.conv, ...s.ssm]) {
    for (let i = 0; i < a.length; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      a[i] = (x / 2 ** 31 - 0.5) * 20;
    }
  }
  return s;
}

describe('state', () => {
  it('has the sizes the graph expects', () => {
    const s = zeroState(m);
    expect(s.conv).toHaveLength(3);
    expect(s.conv[0].length).toBe(40 * 3);
    expect(s.ssm[0].length).toBe(2 * 8 * 4);
    expect(stateFloats(m)).toBe(3 * (120 + 64));
  });

  it('round-trips float32 checkpoints exactly, from an unaligned blob too', () => {
    const s = randomState(7);
    const blob = encodeState(s, 'float32');
    expect(blob.length).toBe(stateFloats(m) * 4);
    const unaligned = Buffer.alloc(blob.length + 1).subarray(1);
    blob.copy(unaligned);
    expect(stateMaxAbsDiff(decodeState(m, unaligned, 'float32'), s)).toBe(0);
  });

  it('round-trips float16 checkpoints within half precision', () => {
    const s = randomState(11);
    const blob = encodeState(s, 'float16');
    expect(blob.length).toBe(stateFloats(m) * 2);
    // |x| < 10 → spacing of halves ≤ 2^-7, so rounding error ≤ 2^-8.
    expect(stateMaxAbsDiff(decodeState(m, blob, 'float16'), s)).toBeLessThanOrEqual(2 ** -8);
  });

  it('rejects a blob of the wrong size', () => {
    expect(() => decodeState(m, Buffer.alloc(12), 'float32')).toThrow(/needs \d+/);
  });

  it('converts to half with IEEE rounding', () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [65504, 0x7bff],
      [65520, 0x7c00], // rounds up to infinity
      [1e6, 0x7c00],
      [2 ** -24, 0x0001], // smallest subnormal
      [2 ** -25, 0x0000], // ties to even → 0
      [1 + 2 ** -11, 0x3c00], // tie → even
      [1 + 3 * 2 ** -11, 0x3c02],
      [0.1, 0x2e66],
    ];
    for (const [x, h] of cases) expect(toHalf(x), `toHalf(${x})`).toBe(h);
    expect(Number.isNaN(fromHalf(toHalf(NaN)))).toBe(true);
    for (let h = 0; h < 0x7c00; h += 7) expect(toHalf(fromHalf(h))).toBe(h);
  });
});
