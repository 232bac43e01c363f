// The learned ranker's and decline model's pieces on real fixtures: the synthetic-question
// generator (test/train/synthetic-questions.ts) makes the questions it should from a document's
// own sentences; the fitted vector, written as the ranker's weights, ranks as the fit scored;
// the learned decline model turns down a question made from another document and keeps one made
// from the document itself. No accuracy figures here: those are the eval's.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishAnswer, prepareAnswer } from '../../main/core/answer/answer.js';
import { MODEL_DECLINE } from '../../main/core/answer/decline.js';
import { LEARNED_WEIGHTS } from '../../main/core/answer/learned.js';
import { rank } from '../../main/core/answer/ranker.js';
import { sentenceIndex } from '../../main/core/answer/sentence-index.js';
import { Library } from '../../main/core/library.js';
import { fixture } from '../support/fixtures.js';
import { dot, featureVector, fitRanker, TRAINED_FEATURES, weightsOf } from '../train/fit.js';
import { definitionQuestion, synthesize, typedQuestion, wordsOf } from '../train/synthetic-questions.js';

const identity = (words: Array<{ text: string }>): string => words.map((w) => w.text).join(' ');

describe('synthetic questions from a document\'s own sentences', () => {
  const mpl = readFileSync(fixture('licenses/MPL-2.0.txt'), 'utf8').replace(/\s+/g, ' ');

  it('blanks a duration and asks how long', () => {
    const sentence = mpl.match(/[^.]*prior to 30 days after[^.]*\./)![0];
    const q = typedQuestion(sentence, false, identity)!;
    expect(q.startsWith('How long ')).toBe(true);
    expect(q).not.toContain('30');
    expect(q).toContain('compliant');
  });

  it('asks what a defined term is', () => {
    const sentence = mpl.match(/"Contributor" means[^.]*\./)![0];
    expect(definitionQuestion(sentence, false)).toBe('What is Contributor?');
  });

  it('asks what a Chinese term is, without the law\'s "所称" preamble', () => {
    const law = readFileSync(fixture('validation/spc-civil-procedure-interpretation-zh.txt'), 'utf8');
    const sentence = law.match(/第三条[^。]*。/u)![0];
    expect(definitionQuestion(sentence, true)).toBe('什么是公民的住所地？');
  });

  it('blanks a Chinese duration and puts the question word in its place', () => {
    const q = typedQuestion('公民离开住所地至起诉时已连续居住一年以上的地方', true, (ws) => ws.map((w) => w.text).join(''))!;
    expect(q).toMatch(/离开住所地至起诉时已连续居住多长时间以上的地方？$/u);
    expect(q).not.toContain('一年');
    // At most eight words either side of the blank.
    expect(wordsOf(q.split('多长时间')[0], true).length).toBeLessThanOrEqual(8);
  });
});

describe('the fitted vector as the ranker\'s weights', () => {
  it('ranks candidates in the order the fit scores them', () => {
    // Two features decide: the positive has the higher `overlap`, the rest is noise.
    const row = (overlap: number, noise: number): number[] => TRAINED_FEATURES.map((f) => (f === 'overlap' ? overlap : f === 'proximity' ? noise : 0));
    const examples = [0, 1, 2, 3, 4, 5].map((i) => ({
      x: [row(1, (i * 7) % 3), row(0.2, 1), row(0.4, 0), row(0, 2)],
      positive: [true, false, false, false],
    }));
    const { weights } = fitRanker(examples, TRAINED_FEATURES.length);
    expect(weights[TRAINED_FEATURES.indexOf('overlap')]).toBeGreaterThan(0);
    const asWeights = weightsOf(weights);
    const features = examples[0].x.map((x) => Object.fromEntries([...Object.keys(asWeights)].map((k) => [k, x[TRAINED_FEATURES.indexOf(k as never)] ?? 0])));
    const candidates = features.map((f, unit) => ({ unit, bm25f: 1, features: f as never, quoteUnits: [unit], missing: [] }));
    const byRanker = rank(candidates, asWeights).map((c) => c.unit);
    const byFit = candidates.map((c) => c.unit).sort((a, b) => dot(weights, featureVector(candidates[b].features)) - dot(weights, featureVector(candidates[a].features)));
    expect(byRanker).toEqual(byFit);
  });

  it('checked in: only the trained features and the gain (weighted apart) carry weight', () => {
    for (const [name, w] of Object.entries(LEARNED_WEIGHTS)) if (!TRAINED_FEATURES.includes(name as never) && name !== 'gain') expect(w).toBe(0);
  });
});

describe('the decline model on a real document', () => {
  let dir: string;
  let library: Library;
  let mplId: number;
  let sheetId: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lectern-training-'));
    library = Library.open(join(dir, 'library.sqlite'));
    mplId = (await library.add(fixture('licenses/MPL-2.0.txt'))).row.id;
    sheetId = (await library.add(fixture('contracts/series-seed-term-sheet.md'))).row.id;
  }, 120_000);

  afterAll(() => {
    library?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('declines a question made from another document and answers one made from its own', async () => {
    const db = library.db;
    // The first question of each that the decline model was trained on (inverse cloze is not).
    const fromSheet = synthesize(sentenceIndex(db, sheetId)).find((q) => q.kind !== 'cloze')!;
    const fromMpl = synthesize(sentenceIndex(db, mplId)).find((q) => q.kind !== 'cloze')!;
    const foreign = finishAnswer(await prepareAnswer(db, mplId, fromSheet.text), { weights: LEARNED_WEIGHTS, decline: MODEL_DECLINE });
    const own = finishAnswer(await prepareAnswer(db, mplId, fromMpl.text), { weights: LEARNED_WEIGHTS, decline: MODEL_DECLINE });
    expect(foreign.found).toBe(false);
    expect(foreign.reason).toBeTruthy();
    expect(own.found).toBe(true);
  });
});
