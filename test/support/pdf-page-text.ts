// Each page's raw text straight from pdf.js (no layout, no furniture removal, no joining): an
// independent record of which words are on which page, to check the pages Lectern cites.
import { readFileSync } from 'node:fs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** Letters and digits only, NFKC, lower-case: what survives every layout decision. */
export function letters(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

export interface PagedLetters {
  /** Every page's letters, concatenated in page order. */
  all: string;
  /** Offset in `all` where page i + 1 begins. */
  pageStarts: number[];
}

export async function pdfPageLetters(path: string): Promise<PagedLetters> {
  const task = getDocument({ data: new Uint8Array(readFileSync(path)), isEvalSupported: false, disableFontFace: true, verbosity: 0 });
  const doc = await task.promise;
  const pages: string[] = [];
  try {
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      pages.push(letters(content.items.map((i) => ('str' in i ? i.str : '')).join(' ')));
      page.cleanup();
    }
  } finally {
    await task.destroy();
  }
  const pageStarts: number[] = [];
  let at = 0;
  for (const p of pages) {
    pageStarts.push(at);
    at += p.length;
  }
  return { all: pages.join(''), pageStarts };
}

/**
 * The pages on which the quote's opening can start: every page where its first `length`
 * letters begin, trying shorter openings when a long one is not found (a quote that runs onto
 * the next page meets that page's running header in the raw text). Empty when nothing matches.
 */
export function pagesWhereQuoteStarts(paged: PagedLetters, quote: string): number[] {
  const q = letters(quote);
  for (const length of [60, 30, 15]) {
    const opening = q.slice(0, length);
    if (opening.length < Math.min(length, 8)) continue;
    const pages = new Set<number>();
    for (let i = paged.all.indexOf(opening); i >= 0; i = paged.all.indexOf(opening, i + 1)) pages.add(pageOf(paged, i));
    if (pages.size > 0) return [...pages];
  }
  return [];
}

function pageOf(paged: PagedLetters, offset: number): number {
  let page = 1;
  for (let i = 0; i < paged.pageStarts.length; i++) if (paged.pageStarts[i] <= offset) page = i + 1;
  return page;
}
