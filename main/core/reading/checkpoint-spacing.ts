// How far apart a reading's checkpoints are. A checkpoint is the model's whole state: 0.8 MB for
// lectern-mamba2-7m-v6 (52 bytes a token at one every 16,384 tokens, measured 2026-12-05 with
// `npm run bench -- huge`), four times what the document's own text, passages and full-text index
// take (12 bytes a token). At one per 16,384 tokens a 54M-token file would keep 2.8 GB of them.
// So a document keeps at most MAX_CHECKPOINTS: past 8.4M tokens the spacing doubles as often as
// needed, which bounds a document's checkpoints to 512 × the state (410 MB for v6). The price is
// replay: an answer's re-read, a resume or a scoring segment starts from the checkpoint before it,
// up to the spacing away (131,072 tokens for 54M, a few seconds on a laptop CPU).
/**
 * Tokens between checkpoints below 8.4M tokens. Measured on the random model (4 layers): a float32
 * checkpoint is 555 kB and commits in ~0.6 ms (median; p90 40 ms); read speed is the same at K =
 * 1k, 4k and 16k. So K is set by storage against replay: at 16k a 1M-token book keeps 34 MB of
 * checkpoints, and a resume or an answer's re-read replays at most 16k tokens (< 1 s on a 2-core
 * CPU at ~20k tokens/s).
 */
export const DEFAULT_CHECKPOINT_TOKENS = 16_384;

export const MAX_CHECKPOINTS = 512;

/**
 * Tokens between checkpoints for a stream of `totalTokens`: 16,384, doubled until at most 512 fit.
 * The reader passes its estimate (UTF-8 bytes / 4, reading/document-tokens.ts), known before it
 * tokenizes anything and the same when a reading resumes, so "at most 512" is approximate.
 */
export function checkpointSpacing(totalTokens: number): number {
  let spacing = DEFAULT_CHECKPOINT_TOKENS;
  while (totalTokens / spacing > MAX_CHECKPOINTS) spacing *= 2;
  return spacing;
}
