// The merge table of a BPE model and the merge loop, as HF `tokenizers` runs it (Word::merge_all):
// a priority queue of adjacent pairs ordered by (rank, position); the lowest is merged, stale
// entries are skipped, and the new pairs on either side of the merged symbol are queued.

export class MergeTable {
  private readonly keyA: Int32Array;
  private readonly keyB: Int32Array;
  private readonly rankAt: Int32Array;
  private readonly mask: number;
  private readonly shift: number;
  /** The id a merge of rank r produces. */
  private readonly result: Int32Array;

  constructor(merges: number) {
    let bits = 4;
    while (1 << bits < merges * 3) bits++;
    this.keyA = new Int32Array(1 << bits).fill(-1);
    this.keyB = new Int32Array(1 << bits);
    this.rankAt = new Int32Array(1 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
    this.result = new Int32Array(Math.max(1, merges));
  }

  set(a: number, b: number, rank: number, result: number): void {
    let slot = this.slot(a, b);
    while (this.keyA[slot] !== -1) {
      if (this.keyA[slot] === a && this.keyB[slot] === b) break; // a repeated pair: the last wins, as in HF
      slot = (slot + 1) & this.mask;
    }
    this.keyA[slot] = a;
    this.keyB[slot] = b;
    this.rankAt[slot] = rank;
    this.result[rank] = result;
  }

  /** The rank of merging a then b, or -1 when no such merge exists. */
  rank(a: number, b: number): number {
    let slot = this.slot(a, b);
    for (;;) {
      const ka = this.keyA[slot];
      if (ka === -1) return -1;
      if (ka === a && this.keyB[slot] === b) return this.rankAt[slot];
      slot = (slot + 1) & this.mask;
    }
  }

  /** Merge the symbols of one word until no adjacent pair has a merge; returns the new ids. */
  mergeAll(sym: Int32Array): Int32Array {
    const n = sym.length;
    const next = new Int32Array(n);
    const prev = new Int32Array(n);
    const alive = new Uint8Array(n).fill(1);
    const heap = new MinHeap(n * 3);
    for (let i = 0; i < n; i++) {
      prev[i] = i - 1;
      next[i] = i + 1;
    }
    for (let i = 0; i + 1 < n; i++) {
      const r = this.rank(sym[i], sym[i + 1]);
      if (r >= 0) heap.push(r, i);
    }
    let count = n;
    while (heap.size > 0) {
      const key = heap.pop();
      const rank = Math.floor(key / POS_SPAN);
      const pos = key - rank * POS_SPAN;
      if (!alive[pos]) continue;
      const right = next[pos];
      if (right >= n || this.rank(sym[pos], sym[right]) !== rank) continue; // stale entry
      sym[pos] = this.result[rank];
      alive[right] = 0;
      count--;
      const after = next[right];
      next[pos] = after;
      if (after < n) prev[after] = pos;
      const before = prev[pos];
      if (before >= 0) {
        const r = this.rank(sym[before], sym[pos]);
        if (r >= 0) heap.push(r, before);
      }
      if (after < n) {
        const r = this.rank(sym[pos], sym[after]);
        if (r >= 0) heap.push(r, pos);
      }
    }
    const out = new Int32Array(count);
    for (let i = 0, k = 0; i < n; i = next[i]) out[k++] = sym[i];
    return out;
  }

  private slot(a: number, b: number): number {
    return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x632be5ab, 0x85ebca77)) >>> this.shift;
  }
}

// Heap keys are rank × POS_SPAN + position: one number orders by rank, then by position.
const POS_SPAN = 2 ** 32;

class MinHeap {
  private keys: Float64Array;
  size = 0;

  constructor(capacity: number) {
    this.keys = new Float64Array(Math.max(4, capacity));
  }

  push(rank: number, pos: number): void {
    if (this.size === this.keys.length) {
      const grown = new Float64Array(this.keys.length * 2);
      grown.set(this.keys);
      this.keys = grown;
    }
    const keys = this.keys;
    const key = rank * POS_SPAN + pos;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent] <= key) break;
      keys[i] = keys[parent];
      i = parent;
    }
    keys[i] = key;
  }

  pop(): number {
    const keys = this.keys;
    const top = keys[0];
    const last = keys[--this.size];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && keys[child + 1] < keys[child]) child++;
      if (keys[child] >= last) break;
      keys[i] = keys[child];
      i = child;
    }
    keys[i] = last;
    return top;
  }
}
