// Binary search over ascending values read by index (an array's, typed or not, or rows of the
// store's), for the places that map an offset to what holds it: a block, a passage, a token.

/** Index of the last of `length` ascending values that is ≤ x; −1 when none is. */
export function lastIndexAtOrBefore(length: number, valueAt: (i: number) => number, x: number): number {
  let lo = 0;
  let hi = length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (valueAt(mid) <= x) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** Index of the first of `length` ascending values that is ≥ x; `length` when none is. */
export function firstIndexAtOrAfter(length: number, valueAt: (i: number) => number, x: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (valueAt(mid) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
