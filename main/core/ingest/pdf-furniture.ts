// Page furniture: running headers, footers, page numbers and margin line numbers. Found by
// repetition across pages, never by fixed strings:
//  1. the same text (digits and roman numerals normalised) at the same height in the top or
//     bottom band of several pages;
//  2. a bare number (page or line number) at the same place on many pages;
//  3. a short line at the very top or bottom holding the page's folio, where the folio is the
//     physical page number plus an offset that other pages' folios share (catches the running
//     heads of short chapters, which repeat too few times for rule 1).
import type { Fragment, PageText } from './pdf-runs.js';

const MIN_REPEATS = 3;
const BAND_ROWS = 3; // the first and last rows of a page are candidates...
const BAND_SHARE = 0.2; // ...when they also lie in the outer fifth of the page
const SAME_HEIGHT = 3; // points
const SAME_PLACE = 2.5; // points

const ROMAN_VALUES: [string, number][] = [
  ['m', 1000], ['cm', 900], ['d', 500], ['cd', 400], ['c', 100], ['xc', 90],
  ['l', 50], ['xl', 40], ['x', 10], ['ix', 9], ['v', 5], ['iv', 4], ['i', 1],
];

function toRoman(n: number): string {
  let out = '';
  for (const [symbol, value] of ROMAN_VALUES) {
    while (n >= value) {
      out += symbol;
      n -= value;
    }
  }
  return out;
}

/** The value of a canonical lower-case roman numeral ("xiv" → 14), or 0. */
function romanValue(token: string): number {
  if (!/^[ivxlcdm]{1,8}$/.test(token)) return 0;
  let value = 0;
  for (let i = 0; i < token.length; i++) {
    const here = ROMAN_VALUES.find(([s]) => s === token[i])?.[1] ?? 0;
    const next = ROMAN_VALUES.find(([s]) => s === token[i + 1])?.[1] ?? 0;
    value += here < next ? -here : here;
  }
  return toRoman(value) === token ? value : 0;
}

/**
 * The comparison key: case, digits and lower-case roman numerals normalised, and word order
 * ignored, so that "18 FREE CULTURE" on a left page matches "FREE CULTURE 19" on a right one.
 */
export function furnitureKey(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\b[ivxlcdm]{1,8}\b/g, (token) => (romanValue(token) > 0 ? '#' : token))
    .toLowerCase()
    .replace(/\d+/g, '#')
    .split(/\s+/)
    .filter((word) => word.length > 0)
    .sort()
    .join(' ');
}

// A key (sorted words) made only of numbers, short affixes ("S32"), dashes and "page … of …".
const BARE_NUMBER = /^(?:(?:[\p{L}]{0,2}#[\p{L}]{0,2}|[-–—.()]+|page|of|p\.)(?: |$))+$/u;

interface Candidate {
  page: number;
  fragment: Fragment;
  key: string;
  outer: boolean;
}

function bandCandidates(page: PageText): Candidate[] {
  const rows = page.fragments.reduce((max, f) => Math.max(max, f.row), -1) + 1;
  const first = page.fragments.length > 0 ? Math.min(...page.fragments.map((f) => f.row)) : 0;
  const height = page.bottom - page.top;
  const out: Candidate[] = [];
  for (const fragment of page.fragments) {
    const fromTop = fragment.row - first;
    const fromBottom = rows - 1 - fragment.row;
    const inRows = fromTop < BAND_ROWS || fromBottom < BAND_ROWS;
    const inBand =
      fragment.y - page.top < BAND_SHARE * height || page.bottom - fragment.y < BAND_SHARE * height;
    if (inRows && inBand) {
      out.push({
        page: page.page,
        fragment,
        key: furnitureKey(fragment.text),
        outer: fromTop < 2 || fromBottom < 2,
      });
    }
  }
  return out;
}

/**
 * Occurrences that recur, in the same or a neighbouring cell of a spatial hash, on at least
 * `minPages` distinct pages. `cell` names the cell of an item shifted by (dx, dy) cells.
 */
function recurring<T extends { page: number }>(
  items: T[],
  cell: (item: T, dx: number, dy: number) => string,
  minPages: number,
): T[] {
  const pagesByCell = new Map<string, Set<number>>();
  for (const item of items) {
    const key = cell(item, 0, 0);
    const pages = pagesByCell.get(key);
    if (pages) pages.add(item.page);
    else pagesByCell.set(key, new Set([item.page]));
  }
  return items.filter((item) => {
    const pages = new Set<number>();
    for (const dx of [-1, 0, 1]) {
      for (const dy of [-1, 0, 1]) {
        for (const page of pagesByCell.get(cell(item, dx, dy)) ?? []) {
          pages.add(page);
          if (pages.size >= minPages) return true;
        }
      }
    }
    return false;
  });
}

/**
 * The page number a line may print, by system ("a18" arabic, "r14" roman): its first or last
 * word, where folios sit ("18 FREE CULTURE", "PREFACE xv", "Page 5", "- 7 -").
 */
function printedNumbers(text: string): string[] {
  const words = text.split(/\s+/).filter((w) => !/^[-–—|·•]+$/.test(w));
  const ends = new Set([words[0], words[words.length - 1]]);
  const out: string[] = [];
  for (const end of ends) {
    const word = (end ?? '').replace(/^[-–—([]+|[-–—)\].,]+$/g, '');
    if (/^\d{1,4}$/.test(word)) out.push(`a${Number(word)}`);
    const roman = romanValue(word);
    if (roman > 0) out.push(`r${roman}`);
  }
  return out;
}

/** "a12" printed on page 30 is the arabic series with offset -18. */
function seriesOf(printed: string, page: number): string {
  return `${printed[0]}${Number(printed.slice(1)) - page}`;
}

/**
 * Rule 3: the folio series, as offsets between printed numbers and physical pages that the
 * outer band lines of at least MIN_REPEATS pages agree on. A book may have several (roman front
 * matter, arabic body, a restart after inserted plates).
 */
function folioSeries(candidates: Candidate[]): Set<string> {
  const pagesBySeries = new Map<string, Set<number>>();
  for (const c of candidates) {
    if (!c.outer) continue;
    for (const printed of printedNumbers(c.fragment.text)) {
      const series = seriesOf(printed, c.page);
      const pages = pagesBySeries.get(series) ?? new Set<number>();
      pages.add(c.page);
      pagesBySeries.set(series, pages);
    }
  }
  return new Set([...pagesBySeries].filter(([, pages]) => pages.size >= MIN_REPEATS).map(([series]) => series));
}

function holdsFolio(c: Candidate, series: Set<string>): boolean {
  if (!c.outer || c.fragment.text.split(/\s+/).length > 8) return false;
  return printedNumbers(c.fragment.text).some((printed) => series.has(seriesOf(printed, c.page)));
}

/**
 * Removes furniture from the pages in place. Text that is the whole of its page on most pages
 * where it repeats (a document that prints one line per page) is content, not furniture.
 * Returns how many fragments were removed.
 */
export function removeFurniture(pages: PageText[]): number {
  if (pages.length < MIN_REPEATS) return 0;
  const doomed = new Set<Fragment>();
  const candidates = pages.flatMap(bandCandidates);

  const sameHeight = (c: Candidate, _dx: number, dy: number) =>
    `${c.key}|${Math.round(c.fragment.y / SAME_HEIGHT) + dy}`;
  for (const c of recurring(candidates, sameHeight, MIN_REPEATS)) doomed.add(c.fragment);

  const numbers: Candidate[] = [];
  for (const page of pages) {
    for (const fragment of page.fragments) {
      // Only short text can be a bare number; most lines are skipped before building a key.
      if (fragment.text.length > 24) continue;
      const key = furnitureKey(fragment.text);
      if (key.includes('#') && BARE_NUMBER.test(key)) numbers.push({ page: page.page, fragment, key, outer: false });
    }
  }
  const manyPages = Math.max(MIN_REPEATS, Math.ceil(0.2 * pages.length));
  // Left-aligned and right-aligned numbers line up on different edges.
  for (const edge of ['x0', 'x1'] as const) {
    const samePlace = (c: Candidate, dx: number, dy: number) =>
      `${Math.round(c.fragment[edge] / SAME_PLACE) + dx}|${Math.round(c.fragment.y / SAME_PLACE) + dy}`;
    for (const c of recurring(numbers, samePlace, manyPages)) doomed.add(c.fragment);
  }

  const series = folioSeries(candidates);
  if (series.size > 0) for (const c of candidates) if (holdsFolio(c, series)) doomed.add(c.fragment);

  spareWholePages(pages, doomed);
  let removed = 0;
  for (const page of pages) {
    const kept = page.fragments.filter((f) => !doomed.has(f));
    removed += page.fragments.length - kept.length;
    page.fragments = kept;
  }
  return removed;
}

/** Keeps repeated text that is all there is on most of the pages that carry it. */
function spareWholePages(pages: PageText[], doomed: Set<Fragment>): void {
  const byKey = new Map<string, { pages: number; whole: number; fragments: Fragment[] }>();
  for (const page of pages) {
    const marked = page.fragments.filter((f) => doomed.has(f));
    if (marked.length === 0) continue;
    const whole = marked.length === page.fragments.length;
    const onPage = new Map<string, Fragment[]>();
    for (const f of marked) {
      const key = furnitureKey(f.text);
      const list = onPage.get(key);
      if (list) list.push(f);
      else onPage.set(key, [f]);
    }
    for (const [key, fragments] of onPage) {
      const entry = byKey.get(key) ?? { pages: 0, whole: 0, fragments: [] };
      entry.pages += 1;
      if (whole) entry.whole += 1;
      entry.fragments.push(...fragments);
      byKey.set(key, entry);
    }
  }
  for (const entry of byKey.values()) {
    if (entry.whole * 2 > entry.pages) for (const f of entry.fragments) doomed.delete(f);
  }
}
