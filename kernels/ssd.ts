// The SSD (Mamba-2) scan and its depthwise causal conv, in plain loops: the reference that the
// exported graph and kernels/ssd.py are checked against through kernels/vectors/. Batch 1, scalar
// A per head, ngroups = 1; dt is already softplus'd and A already negative.
//
//   h_t = exp(dt_t·A)·h_{t−1} + dt_t·(x_t ⊗ B_t)      y_t = h_t·C_t + D·x_t
//
// Layouts are row-major: x [T,H,P], dt [T,H], A [H], B and C [T,N], D [H], state [H,P,N].
// Outputs accumulate in float64 whatever the inputs are.

export type FloatArray = Float32Array | Float64Array;

export interface SsdShape {
  T: number;
  H: number;
  P: number;
  N: number;
}

export interface SsdInput {
  x: FloatArray;
  dt: FloatArray;
  A: FloatArray;
  B: FloatArray;
  C: FloatArray;
  /** Skip connection per head; absent = 0. */
  D?: FloatArray;
  /** Initial state [H,P,N]; absent = zeros. */
  state?: FloatArray;
}

export interface ScanResult {
  y: Float64Array;
  state: Float64Array;
}

function initialState(shape: SsdShape, state: FloatArray | undefined): Float64Array {
  const h = new Float64Array(shape.H * shape.P * shape.N);
  if (state) h.set(state);
  return h;
}

/** The recurrence, one position at a time. */
export function ssdSequential(shape: SsdShape, inp: SsdInput): ScanResult {
  const { T, H, P, N } = shape;
  const { x, dt, A, B, C, D } = inp;
  const h = initialState(shape, inp.state);
  const y = new Float64Array(T * H * P);
  for (let t = 0; t < T; t++) {
    for (let hd = 0; hd < H; hd++) {
      const step = dt[t * H + hd];
      const decay = Math.exp(step * A[hd]);
      for (let p = 0; p < P; p++) {
        const xv = x[(t * H + hd) * P + p];
        const base = (hd * P + p) * N;
        let acc = 0;
        for (let n = 0; n < N; n++) {
          const v = decay * h[base + n] + step * xv * B[t * N + n];
          h[base + n] = v;
          acc += v * C[t * N + n];
        }
        y[(t * H + hd) * P + p] = acc + (D ? D[hd] * xv : 0);
      }
    }
  }
  return { y, state: h };
}

/**
 * The chunked form: sub-chunks of L positions, each in the quadratic form
 * y_i = Σ_{j≤i} (C_i·B_j)·exp(cs_i − cs_j)·dt_j·x_j plus the carried-in state decayed by exp(cs_i),
 * and the state carried from one sub-chunk to the next. The last sub-chunk may be shorter.
 */
export function ssdChunked(shape: SsdShape, inp: SsdInput, L: number): ScanResult {
  const { T, H, P, N } = shape;
  const { x, dt, A, B, C, D } = inp;
  if (!(L >= 1)) throw new RangeError(`sub-chunk length must be at least 1, got ${L}`);
  const h = initialState(shape, inp.state);
  const y = new Float64Array(T * H * P);
  const cb = new Float64Array(L * L);
  const cs = new Float64Array(L);
  for (let s0 = 0; s0 < T; s0 += L) {
    const len = Math.min(L, T - s0);
    // C_i·B_j is shared by all heads (ngroups = 1).
    for (let i = 0; i < len; i++) {
      for (let j = 0; j <= i; j++) {
        let acc = 0;
        for (let n = 0; n < N; n++) acc += C[(s0 + i) * N + n] * B[(s0 + j) * N + n];
        cb[i * L + j] = acc;
      }
    }
    for (let hd = 0; hd < H; hd++) {
      let run = 0;
      for (let i = 0; i < len; i++) {
        run += dt[(s0 + i) * H + hd] * A[hd];
        cs[i] = run;
      }
      for (let i = 0; i < len; i++) {
        const t = s0 + i;
        const carried = Math.exp(cs[i]);
        for (let p = 0; p < P; p++) {
          let acc = 0;
          const base = (hd * P + p) * N;
          for (let n = 0; n < N; n++) acc += h[base + n] * C[t * N + n];
          acc *= carried;
          for (let j = 0; j <= i; j++) {
            const w = cb[i * L + j] * Math.exp(cs[i] - cs[j]) * dt[(s0 + j) * H + hd];
            acc += w * x[((s0 + j) * H + hd) * P + p];
          }
          const xv = x[(t * H + hd) * P + p];
          y[(t * H + hd) * P + p] = acc + (D ? D[hd] * xv : 0);
        }
      }
      // The state at the sub-chunk's end: the old one decayed, plus what the sub-chunk added.
      const last = cs[len - 1];
      const total = Math.exp(last);
      for (let p = 0; p < P; p++) {
        const base = (hd * P + p) * N;
        for (let n = 0; n < N; n++) h[base + n] *= total;
        for (let j = 0; j < len; j++) {
          const t = s0 + j;
          const w = Math.exp(last - cs[j]) * dt[t * H + hd] * x[(t * H + hd) * P + p];
          for (let n = 0; n < N; n++) h[base + n] += w * B[t * N + n];
        }
      }
    }
  }
  return { y, state: h };
}

export interface ConvShape {
  T: number;
  /** Channels. */
  C: number;
  /** Kernel width; the state holds the last K−1 inputs. */
  K: number;
}

export interface ConvInput {
  /** [T,C] */
  x: FloatArray;
  /** [C,K] */
  weight: FloatArray;
  /** [C]; absent = 0. */
  bias?: FloatArray;
  /** [C,K−1], oldest first; absent = zeros. */
  state?: FloatArray;
  /** Positions at or after it are padding: the new state ends at position validLen − 1. */
  validLen?: number;
}

/** Depthwise causal conv: y_t[c] = bias[c] + Σ_k weight[c,k]·x_{t−K+1+k}[c]. No activation. */
export function causalConv(shape: ConvShape, inp: ConvInput): ScanResult {
  const { T, C, K } = shape;
  const { x, weight, bias, state } = inp;
  const validLen = inp.validLen ?? T;
  if (!Number.isInteger(validLen) || validLen < 0 || validLen > T) {
    throw new RangeError(`validLen must be an integer in [0, ${T}], got ${validLen}`);
  }
  const past = K - 1;
  // Index j runs over the past inputs (0..K−2) and then x (K−1+t).
  const at = (j: number, c: number): number =>
    j < past ? (state ? state[c * past + j] : 0) : x[(j - past) * C + c];
  const y = new Float64Array(T * C);
  for (let t = 0; t < T; t++) {
    for (let c = 0; c < C; c++) {
      let acc = bias ? bias[c] : 0;
      for (let k = 0; k < K; k++) acc += weight[c * K + k] * at(t + k, c);
      y[t * C + c] = acc;
    }
  }
  const next = new Float64Array(C * past);
  for (let c = 0; c < C; c++) {
    for (let i = 0; i < past; i++) next[c * past + i] = at(validLen + i, c);
  }
  return { y, state: next };
}
