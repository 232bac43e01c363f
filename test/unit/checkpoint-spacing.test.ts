// A very long document keeps at most MAX_CHECKPOINTS checkpoints (issue 18, item 5): at one per
// 16,384 tokens, the 54M tokens of a 210 MB text would have kept 2.8 GB of model states.
import { describe, expect, it } from 'vitest';
import { checkpointSpacing, MAX_CHECKPOINTS } from '../../main/core/reading/checkpoint-spacing.js';
import { DEFAULT_CHECKPOINT_TOKENS } from '../../main/core/reading/reader.js';

describe('checkpointSpacing', () => {
  it('keeps one every 16,384 tokens for books up to 512 of them', () => {
    for (const tokens of [1, 100_000, 1_000_000, MAX_CHECKPOINTS * DEFAULT_CHECKPOINT_TOKENS]) {
      expect(checkpointSpacing(tokens)).toBe(DEFAULT_CHECKPOINT_TOKENS);
    }
  });

  it('doubles the spacing so that no document keeps more than 512', () => {
    for (const tokens of [MAX_CHECKPOINTS * DEFAULT_CHECKPOINT_TOKENS + 1, 13_022_244, 54_000_000, 1e9]) {
      const spacing = checkpointSpacing(tokens);
      expect(Math.ceil(tokens / spacing)).toBeLessThanOrEqual(MAX_CHECKPOINTS);
      // And no sparser than it needs to be.
      expect(Math.ceil(tokens / (spacing / 2))).toBeGreaterThan(MAX_CHECKPOINTS);
    }
    expect(checkpointSpacing(54_000_000)).toBe(131_072);
  });
});
