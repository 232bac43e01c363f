// The model's likelihoods as decline evidence (decline.ts, GainSignal), on MPL 2.0 read by the
// shipped model: `ask` keeps the likelihoods behind the gain, and with the prior (one more short
// read) each candidate's gain is known on its own scale. A gain rule declines only where the
// likelihoods were computed, with a short reason. Whether any gain signal tells unanswerable
// questions apart is the decline eval's to measure (docs/EVAL.md), not this test's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishAnswer, prepareAnswer } from '../../main/core/answer/answer.js';
import { DEFAULT_DECLINE, gainSignal } from '../../main/core/answer/decline.js';
import { DEFAULT_SIGNALS } from '../../main/core/answer/model-signals.js';
import { DEFAULT_WEIGHTS, rank } from '../../main/core/answer/ranker.js';
import { Library } from '../../main/core/library.js';
import { defaultModelDir } from '../../main/core/model/default-model.js';
import { openModel, type Model } from '../../main/core/model/session.js';
import { fixture } from '../support/fixtures.js';
import { readStored } from '../support/read-stored.js';

let dir: string;
let library: Library;
let model: Model;
let mpl: number;
const QUESTION = 'How long after receiving notice of non-compliance must You become compliant?';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lectern-decline-gain-'));
  library = Library.open(join(dir, 'library.sqlite'));
  mpl = (await library.add(fixture('licenses/MPL-2.0.txt'))).row.id;
  await readStored(library, mpl);
  model = await openModel(defaultModelDir(), 'cpu');
}, 300_000);

afterAll(async () => {
  await model?.release();
  library?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the gain as decline evidence', () => {
  it('keeps each of the best six candidates\' likelihood, and the prior only when asked', async () => {
    const shipped = await prepareAnswer(library.db, mpl, QUESTION, { model });
    expect(shipped.gains).not.toBeNull();
    expect(shipped.gains!.byUnit.size).toBe(Math.min(DEFAULT_SIGNALS.top, shipped.candidates.length));
    expect(shipped.gains!.prior).toBeNull();
    const ranked = rank(shipped.candidates, DEFAULT_WEIGHTS);
    // Without the prior no gain can be read on its own scale; the spread needs none.
    expect(gainSignal('best', shipped.question, ranked, shipped.gains!)).toBeNull();
    expect(gainSignal('spread', shipped.question, ranked, shipped.gains!)).toBeGreaterThanOrEqual(0);

    const p = await prepareAnswer(library.db, mpl, QUESTION, { model, signals: { ...DEFAULT_SIGNALS, prior: true } });
    expect(p.gains!.prior).toBeLessThan(0);
    // The same reads give the same likelihoods: the prior is one more read, not a change to the six.
    expect([...p.gains!.byUnit]).toEqual([...shipped.gains!.byUnit]);
    // The cure period's sentence repeats the question's words: reading it first makes the question likelier.
    expect(gainSignal('best', p.question, ranked, p.gains!, p.index)).toBeGreaterThan(0);
    expect(gainSignal('share', p.question, ranked, p.gains!, p.index)).toBeGreaterThan(0);
  }, 60_000);

  it('declines below the least gain, with a short reason, and not above it', async () => {
    const p = await prepareAnswer(library.db, mpl, QUESTION, { model, signals: { ...DEFAULT_SIGNALS, prior: true } });
    const best = gainSignal('best', p.question, rank(p.candidates, DEFAULT_WEIGHTS), p.gains!, p.index)!;
    expect(finishAnswer(p, { decline: DEFAULT_DECLINE }).found).toBe(true);
    expect(finishAnswer(p, { decline: { ...DEFAULT_DECLINE, gain: { signal: 'best', min: best - 0.01 } } }).found).toBe(true);
    const declined = finishAnswer(p, { decline: { ...DEFAULT_DECLINE, gain: { signal: 'best', min: best + 0.01 } } });
    expect(declined.found).toBe(false);
    expect(declined.reason).toBe('no passage makes the question likelier to the model');
    // Answered before the reading (no likelihoods), the same rule cannot decline by the gain.
    const partial = await prepareAnswer(library.db, mpl, QUESTION);
    expect(partial.gains).toBeNull();
    expect(finishAnswer(partial, { decline: { ...DEFAULT_DECLINE, gain: { signal: 'best', min: best + 0.01 } } }).found).toBe(true);
  }, 60_000);
});
