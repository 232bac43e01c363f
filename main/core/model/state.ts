// The recurrent state the model carries from one call to the next: per layer, the causal
// conv's last d_conv−1 inputs and the SSM's [H, P, N] state. It is what a checkpoint stores.
import type { ModelManifest } from './manifest.js';

export interface ModelState {
  /** Per layer, [1, conv_dim, d_conv − 1]. */
  conv: Float32Array[];
  /** Per layer, [1, nheads, headdim, d_state]. */
  ssm: Float32Array[];
}

export type StateDtype = 'float32' | 'float16';

export function convSize(m: ModelManifest): number {
  return m.conv_dim * (m.d_conv - 1);
}

export function ssmSize(m: ModelManifest): number {
  return m.nheads * m.headdim * m.d_state;
}

/** Floats in one state, all layers. */
export function stateFloats(m: ModelManifest): number {
  return m.n_layer * (convSize(m) + ssmSize(m));
}

/** The empty state: what the model starts a document from. */
export function zeroState(m: ModelManifest): ModelState {
  return {
    conv: Array.from({ length: m.n_layer }, () => new Float32Array(convSize(m))),
    ssm: Array.from({ length: m.n_layer }, () => new Float32Array(ssmSize(m))),
  };
}

/** Largest absolute difference between two states (for tests and drift measurements). */
export function stateMaxAbsDiff(a: ModelState, b: ModelState): number {
  let max = 0;
  const parts = (s: ModelState): Float32Array[] => [...s.conv, ...s.ssm];
  const pa = parts(a);
  const pb = parts(b);
  if (pa.length !== pb.length) return Infinity;
  for (let i = 0; i < pa.length; i++) {
    if (pa[i].length !== pb[i].length) return Infinity;
    for (let j = 0; j < pa[i].length; j++) max = Math.max(max, Math.abs(pa[i][j] - pb[i][j]));
  }
  return max;
}

/** Layer by layer, conv then ssm, little-endian. */
export function encodeState(s: ModelState, dtype: StateDtype): Buffer {
  const parts = s.conv.flatMap((c, i) => [c, s.ssm[i]]);
  const floats = parts.reduce((n, p) => n + p.length, 0);
  if (dtype === 'float32') {
    const out = new Float32Array(floats);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  }
  const out = new Uint16Array(floats);
  let at = 0;
  for (const p of parts) for (let j = 0; j < p.length; j++) out[at++] = toHalf(p[j]);
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

export function decodeState(m: ModelManifest, blob: Uint8Array, dtype: StateDtype): ModelState {
  const width = dtype === 'float32' ? 4 : 2;
  if (blob.byteLength !== stateFloats(m) * width) {
    throw new Error(`checkpoint holds ${blob.byteLength} bytes, a ${dtype} state of ${m.id} needs ${stateFloats(m) * width}`);
  }
  // Copy into an aligned buffer: SQLite blobs come back at arbitrary byte offsets.
  const aligned = new Uint8Array(blob.byteLength);
  aligned.set(blob);
  const all =
    dtype === 'float32' ? new Float32Array(aligned.buffer) : Float32Array.from(new Uint16Array(aligned.buffer), fromHalf);
  const state = zeroState(m);
  let at = 0;
  for (let i = 0; i < m.n_layer; i++) {
    state.conv[i].set(all.subarray(at, at + state.conv[i].length));
    at += state.conv[i].length;
    state.ssm[i].set(all.subarray(at, at + state.ssm[i].length));
    at += state.ssm[i].length;
  }
  return state;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 binary16, round to nearest even (Node 20 has no Float16Array). */
export function toHalf(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
  return sign | half;
}

export function fromHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}
