import { describe, expect, it } from 'vitest';
import { furnitureKey, removeFurniture } from '../../main/core/ingest/pdf-furniture.js';
import type { Fragment, PageText } from '../../main/core/ingest/pdf-runs.js';

const FRUIT = ['apple', 'banana', 'cherry', 'grape', 'lemon', 'mango', 'orange', 'peach', 'pear', 'plum'];
/** A number spelt in fruit, so that body lines differ even with digits normalised. */
const spell = (n: number) => [...String(n)].map((d) => FRUIT[Number(d)]).join('-');

/** A page of `rows` body lines between y = 100 and 650, plus furniture rows given by the test. */
function page(n: number, extra: { text: string; y: number; x0?: number }[] = [], rows = 30): PageText {
  const fragments: Fragment[] = [];
  const all = [
    ...extra.map((e) => ({ text: e.text, y: e.y, x0: e.x0 ?? 72 })),
    ...Array.from({ length: rows }, (_, i) => ({
      text: `Body line ${spell(i)} of page ${spell(n)} says something different each time.`,
      y: 100 + i * 18,
      x0: 72,
    })),
  ].sort((a, b) => a.y - b.y);
  all.forEach((r, row) => fragments.push({ text: r.text, x0: r.x0, x1: r.x0 + 6 * r.text.length, y: r.y, size: 10, row }));
  return { page: n, turns: 0, top: 0, bottom: 792, fragments, asides: [] };
}

const texts = (p: PageText) => p.fragments.map((f) => f.text);

describe('furnitureKey', () => {
  it('normalises digits, roman numerals, case and word order', () => {
    expect(furnitureKey('18 FREE CULTURE')).toBe(furnitureKey('Free Culture 19'));
    expect(furnitureKey('xiv PREFACE')).toBe(furnitureKey('PREFACE xv'));
    expect(furnitureKey('Page 3 of 12')).toBe('# # of page');
  });

  it('leaves words made of roman-numeral letters alone unless they are numerals', () => {
    // "mix" is 1009 in canonical form; "did" and "civil" are not numerals.
    expect(furnitureKey('did mix civil')).toBe('# civil did');
  });
});

describe('removeFurniture', () => {
  it('removes a running header and footer repeated at the same height, keeping the body', () => {
    const pages = Array.from({ length: 6 }, (_, i) =>
      page(i + 1, [
        { text: 'A Book About Things', y: 40 },
        { text: `Chapter Two — page ${i + 1}`, y: 760 },
      ]),
    );
    removeFurniture(pages);
    for (const p of pages) {
      expect(texts(p)).not.toContain('A Book About Things');
      expect(texts(p).some((t) => t.startsWith('Chapter Two'))).toBe(false);
      expect(texts(p)).toHaveLength(30);
    }
  });

  it('alternating left and right running heads with folios are both found', () => {
    const pages = Array.from({ length: 8 }, (_, i) => {
      const n = i + 11;
      const head = n % 2 === 0 ? `${n - 10} FREE CULTURE` : `“PIRACY” ${n - 10}`;
      return page(n, [{ text: head, y: 760 }]);
    });
    removeFurniture(pages);
    for (const p of pages) expect(texts(p).some((t) => /CULTURE|PIRACY/.test(t))).toBe(false);
  });

  it('the folio series catches the running head of a chapter too short to repeat', () => {
    const pages = Array.from({ length: 10 }, (_, i) => {
      const n = i + 1;
      // Chapter "SHORT" runs over two pages only; the folio (page − 4) is shared with the rest.
      const head = n === 7 || n === 8 ? `SHORT ${n - 4}` : `LONG CHAPTER ${n - 4}`;
      return page(n, [{ text: head, y: 760, x0: n % 2 === 0 ? 72 : 300 }]);
    });
    removeFurniture(pages);
    for (const p of pages) expect(texts(p).some((t) => /SHORT|LONG/.test(t))).toBe(false);
  });

  it('removes margin line numbers repeated at the same place', () => {
    const pages = Array.from({ length: 5 }, (_, i) =>
      page(
        i + 1,
        Array.from({ length: 5 }, (_, k) => ({ text: String(k + 1), y: 100 + k * 18 + 0.5, x0: 30 })),
      ),
    );
    removeFurniture(pages);
    for (const p of pages) {
      expect(texts(p).some((t) => /^\d+$/.test(t))).toBe(false);
      expect(texts(p)).toHaveLength(30);
    }
  });

  it('keeps repeated text that is all its pages hold', () => {
    const pages = Array.from({ length: 5 }, (_, i) => page(i + 1, [{ text: 'Hello world', y: 300 }], 0));
    removeFurniture(pages);
    for (const p of pages) expect(texts(p)).toEqual(['Hello world']);
  });

  it('treats heads that differ only in their numbers as the same head', () => {
    const pages = Array.from({ length: 5 }, (_, i) => page(i + 1, [{ text: `Report 2024 section ${i + 3}`, y: 40 }]));
    removeFurniture(pages);
    for (const p of pages) {
      expect(texts(p).some((t) => t.startsWith('Report'))).toBe(false);
      expect(texts(p)).toHaveLength(30);
    }
  });

  it('does nothing to documents shorter than three pages', () => {
    const pages = [page(1, [{ text: 'Header', y: 40 }]), page(2, [{ text: 'Header', y: 40 }])];
    expect(removeFurniture(pages)).toBe(0);
  });
});
