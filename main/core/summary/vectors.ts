// Sentences as TF-IDF vectors over their content terms, L2-normalised and sparse (term ids
// ascending), so cosine similarity is a merge of two short lists. IDF counts sentences: a term
// in every sentence says nothing about any one of them.

export interface SparseVector {
  ids: Int32Array;
  weights: Float64Array;
}

export interface TermSpace {
  /** Term → id. */
  ids: Map<string, number>;
  /** Sentences each term occurs in. */
  df: Int32Array;
  vectors: SparseVector[];
}

export function termSpace(terms: string[][]): TermSpace {
  const ids = new Map<string, number>();
  const dfCounts: number[] = [];
  for (const list of terms) {
    const seen = new Set<number>();
    for (const t of list) {
      let id = ids.get(t);
      if (id === undefined) {
        id = ids.size;
        ids.set(t, id);
        dfCounts.push(0);
      }
      if (!seen.has(id)) {
        seen.add(id);
        dfCounts[id]++;
      }
    }
  }
  const n = Math.max(1, terms.length);
  const df = Int32Array.from(dfCounts);
  const vectors = terms.map((list) => {
    const tf = new Map<number, number>();
    for (const t of list) {
      const id = ids.get(t) as number;
      tf.set(id, (tf.get(id) ?? 0) + 1);
    }
    const sorted = [...tf.keys()].sort((a, b) => a - b);
    const weights = new Float64Array(sorted.length);
    let norm = 0;
    sorted.forEach((id, k) => {
      const w = (1 + Math.log(tf.get(id) as number)) * Math.log(1 + n / df[id]);
      weights[k] = w;
      norm += w * w;
    });
    norm = Math.sqrt(norm) || 1;
    for (let k = 0; k < weights.length; k++) weights[k] /= norm;
    return { ids: Int32Array.from(sorted), weights };
  });
  return { ids, df, vectors };
}

export function cosine(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let s = 0;
  while (i < a.ids.length && j < b.ids.length) {
    const x = a.ids[i];
    const y = b.ids[j];
    if (x === y) s += a.weights[i++] * b.weights[j++];
    else if (x < y) i++;
    else j++;
  }
  return s;
}

/** v · dense, for a dense accumulator of the same term space. */
export function dotDense(v: SparseVector, dense: Float64Array): number {
  let s = 0;
  for (let k = 0; k < v.ids.length; k++) s += v.weights[k] * dense[v.ids[k]];
  return s;
}

/** dense += scale · v */
export function addInto(dense: Float64Array, v: SparseVector, scale = 1): void {
  for (let k = 0; k < v.ids.length; k++) dense[v.ids[k]] += scale * v.weights[k];
}
