// The gain signals' rows of the decline tables (`npm run eval:decline` and the eval's ablation,
// test/eval/ask-section.ts): the shipped rule with one reading of the model's likelihoods required
// too, each at the threshold that scored best for it in the gain grid of `npm run eval:decline --
// --dev --grid` (unanswerable declined − 2 × answerable declined on the synthetic set and
// dev-questions-a; thresholds at percentiles of the answerable questions' values). None beat the
// shipped rule (2026-12-05, lectern-mamba2-7m-v6: docs/EVAL.md, "Declining with the model's
// likelihoods"), so `ask` requires none of them.
import { DEFAULT_DECLINE, type DeclineRule, type GainSignal } from '../../main/core/answer/decline.js';

const row = (signal: GainSignal, min: number, what: string): [string, DeclineRule] => [`+ ${what} ≥ ${min}`, { ...DEFAULT_DECLINE, gain: { signal, min } }];

export const GAIN_ROWS: Array<[string, DeclineRule]> = [
  row('best', 0.45, 'best candidate\'s gain'),
  row('first', 0.357, 'first-ranked candidate\'s gain'),
  row('spread', 0.025, 'best likelihood over the median of six'),
  row('typed', 0.391, 'best gain with the asked type beside the words'),
  row('share', 0.056, 'best gain over the question\'s surprisal'),
  row('novel', 0.137, 'best gain on the question tokens the quote lacks'),
];
