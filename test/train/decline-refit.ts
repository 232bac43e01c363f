// The decline model refitted on the synthetic decline set (decline-set.ts; `npm run eval:decline
// -- --fit`, 2026-12-05): logistic regression (fit.ts) over the first rule's evidence and the
// rule's own signals (decline.ts, DECLINE_FEATURES and RULE_FEATURES) of the shipped ranking,
// classes weighted equally, the threshold declining at most DECLINED_ANSWERABLE of the synthetic
// answerable questions. Never fitted on the development questions. Its figures on the synthetic
// set are given in sample and leaving each document out (fitted on the others, its threshold
// theirs), the second being the honest one.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { answerProbability, DECLINE_FEATURES, declineFeatures, RULE_FEATURES, type DeclineModel } from '../../main/core/answer/decline.js';
import type { PreparedAnswer } from '../../main/core/answer/answer.js';
import { DEFAULT_WEIGHTS, rank } from '../../main/core/answer/ranker.js';
import { repoRoot } from '../support/fixtures.js';
import { fitDeclineModel } from './fit.js';

/** Share of the synthetic answerable questions the threshold may decline: the aim's 10%. */
export const DECLINED_ANSWERABLE = 0.1;
const FEATURES = [...DECLINE_FEATURES, ...RULE_FEATURES];

export interface RefitItem {
  answerable: boolean;
  doc: string;
  p: PreparedAnswer;
}

function vector(p: PreparedAnswer): number[] | null {
  const ranked = rank(p.candidates, DEFAULT_WEIGHTS);
  if (ranked.length === 0) return null;
  const x = declineFeatures(p.question, ranked, 5, p.index);
  return FEATURES.map((f) => x[f]);
}

function fit(rows: number[][], labels: boolean[]): DeclineModel {
  return fitDeclineModel(rows, labels, FEATURES, DECLINED_ANSWERABLE);
}

function probability(model: DeclineModel, x: number[]): number {
  return answerProbability(model, Object.fromEntries(FEATURES.map((f, i) => [f, x[i]])));
}

/** The model fitted on every item, and whether each item is declined when its own document was left out of the fit. */
export function refitDecline(items: RefitItem[]): { model: DeclineModel; heldOutDeclined: Map<RefitItem, boolean> } {
  const usable = items.map((it) => ({ it, x: vector(it.p) })).filter((r): r is { it: RefitItem; x: number[] } => r.x !== null);
  const model = fit(usable.map((r) => r.x), usable.map((r) => r.it.answerable));
  const heldOutDeclined = new Map<RefitItem, boolean>();
  for (const doc of new Set(usable.map((r) => r.it.doc))) {
    const train = usable.filter((r) => r.it.doc !== doc);
    const m = fit(train.map((r) => r.x), train.map((r) => r.it.answerable));
    for (const r of usable.filter((u) => u.it.doc === doc)) heldOutDeclined.set(r.it, probability(m, r.x) < m.threshold);
  }
  // No candidate at all: declined by any rule.
  for (const it of items) if (!heldOutDeclined.has(it)) heldOutDeclined.set(it, true);
  return { model, heldOutDeclined };
}

/** Writes the fitted model where `ask`'s eval finds it as a row (main/core/answer/learned-decline.ts). */
export function writeRefit(model: DeclineModel, answerable: number, unanswerable: number, documents: number, modelId: string): string {
  const file = join(repoRoot, 'main', 'core', 'answer', 'learned-decline.ts');
  writeFileSync(
    file,
    `// Written by \`npm run eval:decline -- --fit\` (test/train/decline-refit.ts); do not edit by hand.
// 2026-12-05, the ranking with ${modelId}'s likelihoods: the decline model refitted on the synthetic
// decline set (test/train/decline-set.ts), ${answerable} answerable and ${unanswerable} unanswerable questions from ${documents} documents
// that no development question is about; logistic over the first rule's evidence and the rule's
// own signals, the threshold declining ${(100 * DECLINED_ANSWERABLE).toFixed(0)}% of the answerable. A row of the eval, not what
// \`ask\` uses (decline.ts, docs/EVAL.md).
import type { DeclineModel } from './decline.js';

export const REFIT_DECLINE: DeclineModel = ${JSON.stringify(model)};
`,
  );
  return file;
}
