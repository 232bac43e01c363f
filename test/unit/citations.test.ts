// Which quotes an answer cites (core/answer/citations.ts) and the passage-window feature, on MPL
// 2.0's real text: section 6's paragraph (the disclaimer of warranty) has five sentences,
// "Covered Software is provided … as is …", "The entire risk … is with You.", "Should any Covered
// Software prove defective …", "This disclaimer of warranty constitutes an essential part of this
// License." and "No use of any Covered Software is authorized … except under this disclaimer.";
// section 10.1's paragraph starts "Mozilla Foundation is the license steward."
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citationsOf, DEFAULT_CITATIONS, PLAIN_CITATIONS } from '../../main/core/answer/citations.js';
import { lexicalFeatures, wideQuoteUnits } from '../../main/core/answer/features.js';
import { analyseQuestion } from '../../main/core/answer/question.js';
import type { Ranked } from '../../main/core/answer/ranker.js';
import { sentenceIndex, type SentenceIndex } from '../../main/core/answer/sentence-index.js';
import { Library } from '../../main/core/library.js';
import { fixture } from '../support/fixtures.js';

let dir: string;
let library: Library;
let index: SentenceIndex;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lectern-citations-'));
  library = Library.open(join(dir, 'library.sqlite'));
  index = sentenceIndex(library.db, (await library.add(fixture('licenses/MPL-2.0.txt'))).row.id);
}, 60_000);

afterAll(() => {
  library?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The unit whose sentence starts with `text`. */
function unitOf(text: string): number {
  const u = index.units.findIndex((x) => index.text.startsWith(text, x.start));
  expect(u, text).toBeGreaterThanOrEqual(0);
  return u;
}

const sentence = (u: number): string => index.text.slice(index.units[u].start, index.units[u].end);

/** Candidates for `units` with their real features and quotes, scored as given (best first). */
function ranked(question: string, units: number[], scores: number[]): Ranked[] {
  const q = analyseQuestion(question, index);
  const scored = lexicalFeatures(index, q, units.map((unit) => ({ unit, bm25f: 1 })), () => null);
  return scored.map((c, i) => ({ ...c, score: scores[i] }));
}

describe('citations', () => {
  it('cites a sentence whose quote overlaps an earlier citation by the sentence alone, instead of dropping it', () => {
    const defective = unitOf('Should any Covered Software prove defective');
    const disclaimer = unitOf('This disclaimer of warranty constitutes');
    expect(disclaimer).toBe(defective + 1);
    // The disclaimer sentence ranks first and is quoted with the next one; the defective-software
    // sentence's own quote (it and the disclaimer) overlaps that.
    const r = ranked('Who pays for repairs when the software is defective?', [disclaimer, defective], [2, 1]);
    expect(r[0].quoteUnits).toEqual([disclaimer, disclaimer + 1]);
    expect(r[1].quoteUnits).toEqual([defective, disclaimer]);
    const plain = citationsOf(index, r, 5, PLAIN_CITATIONS);
    expect(plain.map((c) => c.quote)).toEqual([`${sentence(disclaimer)} ${sentence(disclaimer + 1)}`]);
    const trimmed = citationsOf(index, r, 5, { ...PLAIN_CITATIONS, trim: true });
    expect(trimmed).toHaveLength(2);
    expect(trimmed[1].quote).toBe(sentence(defective));
    expect(index.text.slice(trimmed[1].start, trimmed[1].end)).toBe(trimmed[1].quote);
  });

  it('quotes the ranked sentence with both neighbours of its paragraph where they fit, and the quote as made where not', () => {
    const first = unitOf('Covered Software is provided under this License on an');
    const defective = unitOf('Should any Covered Software prove defective');
    expect(defective).toBe(first + 2);
    expect(index.units[first - 1].block).not.toBe(index.units[first].block);
    const [middle, edge, long] = ranked('Who pays for repairs when the software is defective?', [defective, first, first + 1], [1, 0, 0]);
    expect(wideQuoteUnits(index, middle)).toEqual([defective - 1, defective, defective + 1]);
    // The paragraph's first sentence has no neighbour before it in its paragraph; the second has
    // that long first sentence before it, and the three would pass 400 characters.
    expect(wideQuoteUnits(index, edge)).toEqual(edge.quoteUnits);
    expect(index.units[first + 2].end - index.units[first].start).toBeGreaterThan(400);
    expect(wideQuoteUnits(index, long)).toEqual(long.quoteUnits);
    const [cited] = citationsOf(index, [middle], 1, DEFAULT_CITATIONS);
    expect(cited.quote).toBe(index.text.slice(index.units[defective - 1].start, index.units[defective + 1].end));
    expect(citationsOf(index, [middle], 1, { ...DEFAULT_CITATIONS, wide: false })[0].quote).toBe(`${sentence(defective)} ${sentence(defective + 1)}`);
  });

  it('prefers another paragraph after the first citation only when told to', () => {
    const first = unitOf('Covered Software is provided under this License on an');
    const last = unitOf('No use of any Covered Software is authorized');
    const steward = unitOf('Mozilla Foundation is the license steward.');
    const r = ranked('Is Covered Software provided as is?', [first, last, steward], [3, 2.6, 2]);
    const order = (diversity: number): string[] => citationsOf(index, r, 3, { ...PLAIN_CITATIONS, diversity }).map((c) => sentence(index.units.findIndex((u) => u.start === c.start)));
    expect(order(0)).toEqual([sentence(first), sentence(last), sentence(steward)]);
    // The last sentence shares the first one's paragraph; 2.6 − 1 falls below the steward's 2.
    expect(order(1)).toEqual([sentence(first), sentence(steward), sentence(last)]);
  });
});

describe('the passage window', () => {
  it('credits a sentence two away from the one holding the question\'s words, which the neighbour window misses', () => {
    const defective = unitOf('Should any Covered Software prove defective');
    const last = unitOf('No use of any Covered Software is authorized');
    expect(last).toBe(defective + 2);
    const [c] = ranked('servicing repair correction', [last], [1]);
    // The words are in the sentence two before: not in the sentence, its neighbours or its heading…
    expect(c.features.overlap).toBe(0);
    expect(c.features.windowOverlap).toBe(0);
    // …but in the three-sentence window that ends at it.
    expect(c.features.passage).toBeCloseTo(1, 5);
  });
});
