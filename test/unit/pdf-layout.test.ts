import { describe, expect, it } from 'vitest';
import { applyOutline, markSizeHeadings, titleMatches } from '../../main/core/ingest/pdf-headings.js';
import { findGutter, orderPage } from '../../main/core/ingest/pdf-layout.js';
import type { Paragraph } from '../../main/core/ingest/pdf-paragraphs.js';
import type { Fragment, PageText } from '../../main/core/ingest/pdf-runs.js';

function fragment(text: string, x0: number, x1: number, y: number, row: number, size = 10): Fragment {
  return { text, x0, x1, y, size, row };
}

/** Two justified columns (72–290 and 322–540), 20 rows, with `spanning` full-width rows on top. */
function twoColumns(spanning = 0): Fragment[] {
  const out: Fragment[] = [];
  for (let r = 0; r < spanning; r++) out.push(fragment(`Title line ${r}`, 150, 460, 60 + r * 20, r, 16));
  for (let r = 0; r < 20; r++) {
    const row = spanning + r;
    const y = 120 + r * 12;
    out.push(fragment(`left ${r}`, 72, 290, y, row));
    out.push(fragment(`right ${r}`, 322, 540, y, row));
  }
  return out;
}

function pageOf(fragments: Fragment[]): PageText {
  return { page: 1, turns: 0, top: 0, bottom: 792, fragments, asides: [] };
}

describe('findGutter', () => {
  it('finds the channel between two columns, centred in the white space', () => {
    expect(findGutter(twoColumns())).toBeCloseTo(306, 0);
    expect(findGutter(twoColumns(3))).toBeCloseTo(306, 0);
  });

  it('finds none on a single-column page', () => {
    const single = Array.from({ length: 30 }, (_, r) => fragment(`line ${r}`, 72, 520 - (r % 3) * 20, 100 + r * 12, r));
    expect(findGutter(single)).toBeNull();
  });

  it('finds none in a table of short cells under single-column text', () => {
    const out: Fragment[] = [];
    for (let r = 0; r < 10; r++) out.push(fragment(`prose ${r}`, 72, 540, 100 + r * 12, r));
    for (let r = 0; r < 10; r++) {
      out.push(fragment('cell', 72, 110, 240 + r * 12, 10 + r));
      out.push(fragment('12.5', 330, 350, 240 + r * 12, 10 + r));
      out.push(fragment('7.1', 480, 500, 240 + r * 12, 10 + r));
    }
    expect(findGutter(out)).toBeNull();
  });
});

describe('orderPage', () => {
  it('reads the left column before the right, after a full-width title', () => {
    let block = 0;
    const lines = orderPage(pageOf(twoColumns(2)), () => block++);
    const texts = lines.map((l) => l.text);
    expect(texts.slice(0, 2)).toEqual(['Title line 0', 'Title line 1']);
    expect(texts.indexOf('left 19')).toBeLessThan(texts.indexOf('right 0'));
    expect(texts.indexOf('right 0')).toBe(texts.indexOf('left 19') + 1);
    expect(new Set(lines.filter((l) => l.text.startsWith('left')).map((l) => l.block)).size).toBe(1);
  });

  it('joins the fragments of a row when the page has no columns', () => {
    const fragments = [fragment('Chapter 1', 72, 130, 100, 0), fragment('12', 500, 512, 100, 0)];
    const lines = orderPage(pageOf(fragments), () => 0);
    expect(lines.map((l) => l.text)).toEqual(['Chapter 1 12']);
  });
});

function paragraph(text: string, page: number, size: number, y = 100): Paragraph {
  return { kind: 'paragraph', level: 0, text, page, y, size, lines: 1 };
}

describe('headings', () => {
  it('matches outline titles to the text that prints them', () => {
    expect(titleMatches('Chapter 1: Creators', 'CHAPTER ONE: Creators')).toBe(true);
    expect(titleMatches('2: "Mere Copyists"', 'CHAPTER TWO: “Mere Copyists”')).toBe(true);
    expect(titleMatches('1.1 概述', '1.1 概述')).toBe(true);
    expect(titleMatches('Film', 'Film history is long and this sentence is not a heading at all.')).toBe(false);
  });

  it('marks outline entries, splits a run-in heading and inserts titles the page does not print', () => {
    const paragraphs = [
      paragraph('CHAPTER ONE: Creators', 3, 11, 100),
      paragraph('In 1928, a cartoon character was born.', 3, 10.5, 130),
      paragraph('Film Pirates in Hollywood fled to California.', 4, 10.5, 100),
    ];
    const out = applyOutline(paragraphs, [
      { title: 'COVER', level: 1, page: 1, y: null },
      { title: 'Chapter 1: Creators', level: 2, page: 3, y: null },
      { title: 'Film', level: 3, page: 4, y: null },
    ]);
    expect(out.map((p) => [p.kind, p.level, p.page, p.text])).toEqual([
      ['heading', 1, 1, 'COVER'],
      ['heading', 2, 3, 'CHAPTER ONE: Creators'],
      ['paragraph', 0, 3, 'In 1928, a cartoon character was born.'],
      ['heading', 3, 4, 'Film'],
      ['paragraph', 0, 4, 'Pirates in Hollywood fled to California.'],
    ]);
  });

  it('ranks lines clearly larger than the body text as headings by size', () => {
    const body = 'Body text that runs on for a while, as body text does in every document.';
    const paragraphs = [
      paragraph('A Title', 1, 18),
      paragraph('1. Introduction', 1, 12),
      paragraph(body, 1, 10),
      paragraph(body, 1, 10),
      paragraph('A sentence in large type ends with a period.', 1, 12),
      paragraph('Small print', 1, 8),
    ];
    markSizeHeadings(paragraphs);
    expect(paragraphs.map((p) => [p.kind, p.level])).toEqual([
      ['heading', 1],
      ['heading', 2],
      ['paragraph', 0],
      ['paragraph', 0],
      ['paragraph', 0],
      ['paragraph', 0],
    ]);
  });
});
