import { describe, expect, it } from 'vitest';
import { DocumentBuilder, type Document } from '../../main/core/document.js';
import { countCjkChars, wordUnits } from '../../main/core/text/cjk.js';
import { makePassages, type Passage } from '../../main/core/text/passages.js';
import { splitSentences } from '../../main/core/text/sentences.js';
import { ingestFixture } from '../support/ingest-fixture.js';

function words(n: number, word = 'word'): string {
  return Array.from({ length: n }, () => word).join(' ');
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))];
}

/** Checks that hold for every document: exact offsets, order, sections, no heading crossed. */
function expectWellFormed(doc: Document, passages: Passage[]): void {
  const headings = doc.blocks.filter((b) => b.kind === 'heading');
  const sentences = doc.blocks.flatMap((b) =>
    splitSentences(b.text).map((s) => ({ start: b.start + s.start, end: b.start + s.end })),
  );
  let previousEnd = -1;
  passages.forEach((p, i) => {
    expect(p.ordinal).toBe(i);
    expect(p.text).toBe(doc.text.slice(p.start, p.end));
    expect(p.text).toBe(p.text.trim());
    expect(p.start).toBeGreaterThanOrEqual(previousEnd);
    // A passage starts a sentence, or continues one too long for the passage before it.
    const sentence = sentences.find((s) => s.start <= p.start && p.start < s.end);
    expect(sentence).toBeDefined();
    if (sentence !== undefined && sentence.start !== p.start) expect(previousEnd).toBeGreaterThan(sentence.start);
    previousEnd = p.end;
    const crossed = headings.filter((h) => h.start < p.end && h.end > p.start);
    // A passage never spans a heading; the only one that touches a heading is that heading alone.
    if (crossed.length > 0) {
      expect(crossed).toHaveLength(1);
      expect([p.start, p.end]).toEqual([crossed[0].start, crossed[0].end]);
    }
    const before = headings.filter((h) => h.start <= p.start).pop();
    expect(p.section).toBe(before?.text ?? null);
  });
  // Every body block is covered: each of its sentences starts inside some passage.
  for (const b of doc.blocks) {
    if (b.kind === 'heading') continue;
    for (const s of splitSentences(b.text)) {
      const at = b.start + s.start;
      expect(passages.some((p) => p.start <= at && at < p.end)).toBe(true);
    }
  }
}

const prideAndPrejudice = await ingestFixture('novels/pride_and_prejudice.txt');
const hongloumeng = await ingestFixture('zh/hongloumeng-ch001-010.md');

describe('makePassages on Pride and Prejudice', () => {
  const doc = prideAndPrejudice;
  const passages = makePassages(doc);

  it('makes passages of 150–300 words, mostly', () => {
    const sizes = passages.map((p) => p.text.split(/\s+/).length).sort((a, b) => a - b);
    expect(passages.length).toBeGreaterThan(400);
    expect(sizes[sizes.length - 1]).toBeLessThanOrEqual(300);
    const inRange = sizes.filter((n) => n >= 150).length / sizes.length;
    expect(inRange).toBeGreaterThan(0.9);
    expect(quantile(sizes, 0.5)).toBeGreaterThan(200);
  });

  it('keeps offsets exact and never crosses a chapter heading', () => {
    expect(doc.blocks.filter((b) => b.kind === 'heading').length).toBeGreaterThan(50);
    expectWellFormed(doc, passages);
  });

  it('names the chapter a passage falls under', () => {
    // Chapter I's heading stands inside an illustration caption; the ingester still finds it.
    const first = passages.find((x) => x.text.includes('It is a truth universally acknowledged'));
    expect(first?.section).toBe('Chapter I.');
    const second = passages.find((x) => x.text.includes('Mr. Bennet was among the earliest'));
    expect(second?.section).toBe('CHAPTER II.');
    const collins = passages.find((x) => x.text.includes('Mr. Collins was not a sensible man'));
    expect(collins?.section).toBe('CHAPTER XV.');
  });
});

describe('makePassages on 红楼梦', () => {
  const doc = hongloumeng;
  const passages = makePassages(doc);

  it('makes passages of 300–600 Chinese characters', () => {
    const sizes = passages.map((p) => countCjkChars(p.text)).sort((a, b) => a - b);
    expect(passages.length).toBeGreaterThan(80);
    expect(sizes[sizes.length - 1]).toBeLessThanOrEqual(600);
    expect(sizes.filter((n) => n >= 300).length / sizes.length).toBeGreaterThan(0.9);
    expect(quantile(sizes, 0.5)).toBeGreaterThan(450);
  });

  it('keeps offsets exact and each chapter in its own passages', () => {
    expect(doc.blocks.filter((b) => b.kind === 'heading')).toHaveLength(10);
    expectWellFormed(doc, passages);
    expect(passages[0].section).toBe('第一回 甄士隐梦幻识通灵 贾雨村风尘怀闺秀');
    expect(passages[0].text.startsWith('此开卷第一回也。')).toBe(true);
  });
});

describe('makePassages on built documents', () => {
  it('cuts an over-long sentence after a comma, within the limit', () => {
    const clause = words(40);
    const sentence = Array.from({ length: 12 }, () => clause).join(', ') + '.';
    const b = new DocumentBuilder();
    b.add({ kind: 'paragraph', text: sentence });
    const doc = b.build({ kind: 'txt', title: 't' });
    const passages = makePassages(doc);
    expect(passages.length).toBeGreaterThanOrEqual(2);
    for (const p of passages) expect(wordUnits(p.text)).toBeLessThanOrEqual(300);
    for (const p of passages.slice(0, -1)) expect(p.text.endsWith(',')).toBe(true);
    expectWellFormed(doc, passages);
  });

  it('cuts an over-long run of Chinese without punctuation at the limit', () => {
    const b = new DocumentBuilder();
    b.add({ kind: 'paragraph', text: '红'.repeat(1500) });
    const passages = makePassages(b.build({ kind: 'txt', title: 't' }));
    expect(passages.map((p) => p.text.length)).toEqual([600, 600, 300]);
  });

  it('merges a short last piece into the passage before it when both fit', () => {
    const b = new DocumentBuilder();
    b.add({ kind: 'heading', text: 'Term' });
    b.add({ kind: 'paragraph', text: `${words(230)}.` });
    b.add({ kind: 'paragraph', text: `${words(40, 'tail')}.` });
    b.add({ kind: 'heading', text: 'Termination' });
    b.add({ kind: 'paragraph', text: `${words(230)}.` });
    b.add({ kind: 'paragraph', text: `${words(100, 'tail')}.` });
    const doc = b.build({ kind: 'txt', title: 't' });
    const passages = makePassages(doc);
    expect(passages.map((p) => [p.section, wordUnits(p.text)])).toEqual([
      ['Term', 270],
      ['Termination', 230],
      ['Termination', 100],
    ]);
    expectWellFormed(doc, passages);
  });

  it('gives a heading with no body a passage of its own', () => {
    const b = new DocumentBuilder();
    b.add({ kind: 'heading', level: 1, text: 'Part One' });
    b.add({ kind: 'heading', level: 2, text: 'Chapter 1' });
    b.add({ kind: 'paragraph', text: 'It begins. It goes on.' });
    const doc = b.build({ kind: 'md', title: 't' });
    const passages = makePassages(doc);
    expect(passages.map((p) => [p.section, p.text])).toEqual([
      ['Part One', 'Part One'],
      ['Chapter 1', 'It begins. It goes on.'],
    ]);
  });

  it('gives each passage the page of its first character', () => {
    const b = new DocumentBuilder();
    b.add({ kind: 'paragraph', page: 1, text: `${words(200)}.` });
    b.add({ kind: 'paragraph', page: 2, text: `${words(200)}.` });
    b.add({ kind: 'paragraph', page: 3, text: `${words(200)}.` });
    const doc = b.build({ kind: 'pdf', title: 't', pages: 3 });
    expect(makePassages(doc).map((p) => p.page)).toEqual([1, 2, 3]);
  });

  it('gives a passage that starts past a page break inside a paragraph the later page', () => {
    const b = new DocumentBuilder();
    const first = `${words(200)}. ${words(200)}.`;
    b.add({ kind: 'paragraph', page: 1, text: first, pageBreaks: [{ at: first.indexOf('. ') + 2, page: 2 }] });
    const doc = b.build({ kind: 'pdf', title: 't', pages: 2 });
    expect(makePassages(doc).map((p) => p.page)).toEqual([1, 2]);
  });

  it('returns no passages for an empty document', () => {
    const doc = new DocumentBuilder().build({ kind: 'txt', title: 'empty' });
    expect(makePassages(doc)).toEqual([]);
  });
});
