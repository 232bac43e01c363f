// How the CLI counts a reading's tokens: the document's own tokens, as `score` counts them. The
// model's stream is BOS followed by the document's tokens (ARCHITECTURE §7), and the engine
// counts stream positions, so a reading of n document tokens is n + 1 positions long; `read`
// printed that n + 1 beside `score`'s n until 2026-12-05.

/** Document tokens in the first `positions` positions of the stream (position 0 is BOS). */
export function documentTokens(positions: number): number {
  return Math.max(0, positions - 1);
}

/** "1 page", "12 pages". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
