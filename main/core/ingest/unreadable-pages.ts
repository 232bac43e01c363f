// Pages whose extracted text is not language. A PDF whose fonts map glyphs to the wrong
// characters (TAMReview.pdf: "% & ' %", "(-.45)" where words and years were printed) still has a
// text layer, so nothing upstream notices; indexed, such a page only adds noise to search and
// answers. Two character statistics, no dictionary, so any script passes:
//
// - stray symbols: the share of non-space characters that are ASCII punctuation or symbols with
//   no letter on either side ("%" in "% & '"). Prose attaches its punctuation to words; code and
//   formulas use operators (+ = < > | ~ ^), sentence marks (. , : ; ?) and brackets next to
//   names, which are not counted.
// - glued words: the share of Latin letters in runs of 16 or more (URLs aside). A broken font
//   usually loses the spaces too ("OverviewoftheTechnologyAcceptanceModel"), so the words that
//   survive come out glued.
//
// Measured 2026-12-05 on every page of the fixture PDFs (731 pages with text: test/fixtures'
// papers, books, zh and tricky, and sparse_autoencoders.pdf): TAMReview.pdf's 21 garbled pages
// (2–22) have 0.20–0.54 stray symbols, or 0.08–0.13 with 0.51–0.85 glued; every other page
// (pages 1 and 23 of TAMReview, and lshort-zh-cn.pdf's pages of LaTeX and TikZ code, the
// closest) at most 0.127 stray symbols, and none with 0.08 stray symbols has more than 0.0 glued.
// Thresholds sit between: 21 of 21 flagged, 0 of 710 wrongly. On every fourth file of pdf.js's
// test suite (../shared/robustness/pdfjs, the first 152 within 7 minutes, 88 ingested) no page
// of the 87 other documents (483 pages) was flagged; that corpus is unlabelled, so soup the
// rule misses there is not counted.
import { pageRanges, type IngestNote } from '../document-notes.js';
import type { Document } from '../document.js';

/** Stray symbols alone mark a page at this share. */
export const STRAY_SYMBOLS = 0.15;
/** Fewer stray symbols mark it when this many of its Latin letters are glued into long runs. */
export const SOME_STRAY_SYMBOLS = 0.08;
export const GLUED_LETTERS = 0.5;
const GLUED_RUN = 16;
/** Too little text to judge (a page number, a caption): never flagged. */
export const MIN_CHARS = 40;

export interface PageTextStats {
  /** Non-space characters. */
  chars: number;
  strayShare: number;
  gluedShare: number;
}

const LETTER = /[\p{L}\p{M}]/u;
const ASCII_SYMBOL = /[!-/:-@[-`{-~]/;
/** Operators, sentence marks and brackets of code and formulas: not evidence of a broken font. */
const NOT_COUNTED = /[.,:;?+=<>|~^]/;

export function pageTextStats(text: string): PageTextStats {
  const chars = [...text];
  let nonSpace = 0;
  let stray = 0;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (/\s/u.test(c)) continue;
    nonSpace++;
    if (!ASCII_SYMBOL.test(c) || NOT_COUNTED.test(c)) continue;
    if (!LETTER.test(chars[i - 1] ?? ' ') && !LETTER.test(chars[i + 1] ?? ' ')) stray++;
  }
  let latin = 0;
  let glued = 0;
  for (const run of text.match(/\p{Script=Latin}+/gu) ?? []) {
    latin += run.length;
    if (run.length >= GLUED_RUN && !/^(?:https?|www)/i.test(run)) glued += run.length;
  }
  return { chars: nonSpace, strayShare: stray / Math.max(1, nonSpace), gluedShare: glued / Math.max(1, latin) };
}

export function isUnreadable(stats: PageTextStats): boolean {
  if (stats.chars < MIN_CHARS) return false;
  return stats.strayShare >= STRAY_SYMBOLS || (stats.strayShare >= SOME_STRAY_SYMBOLS && stats.gluedShare >= GLUED_LETTERS);
}

/** The 1-based pages of a paged document whose text is not language, ascending. */
export function unreadablePages(doc: Document): number[] {
  const byPage = new Map<number, string[]>();
  for (const block of doc.blocks) {
    if (block.page === null) continue;
    const parts = byPage.get(block.page) ?? [];
    parts.push(block.text);
    byPage.set(block.page, parts);
  }
  return [...byPage]
    .filter(([, parts]) => isUnreadable(pageTextStats(parts.join('\n'))))
    .map(([page]) => page)
    .sort((a, b) => a - b);
}

export function unreadablePagesNote(pages: number[]): IngestNote {
  const which = pages.length === 1 ? `page ${pages[0]}` : `${pages.length} pages (${pageRanges(pages)})`;
  return {
    code: 'unreadable-pages',
    message: `${which}: the text layer reads as symbols, not words; left out of search and answers`,
    pages,
  };
}
