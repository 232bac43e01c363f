// The stages of ingesting a file, as the watchdog (ingest/bounded.ts) sees them, and the time each
// may take. pdf.js parses on the thread that calls it and can loop there for ever on a hostile
// file (pdf.js's own test operator_list_cycle.pdf: a tiling pattern whose form draws the pattern
// again, an infinite synchronous recursion in getOperatorList, 2026-12-05), so a bound cannot be a
// timer on that thread: the parser runs in a worker thread, and the caller terminates it.

/** What the parser is doing now; `page` is 1-based, null outside the page loops. */
export interface StageReport {
  stage: 'open' | 'text' | 'drawing' | 'assemble';
  page: number | null;
  pages: number | null;
}

/** Pages to leave out, by stage: their text, or the probe that looks for images on them. */
export interface PageSkips {
  text: number[];
  drawing: number[];
}

export interface IngestBounds {
  /** One page's text or drawing: past it the page is skipped with a warning. */
  pageMs: number;
  /** The whole document: past it the document is rejected ('timeout'). */
  baseMs: number;
  /** Added to the document's bound for each page (paged formats). */
  perPageMs: number;
  /** Added to the document's bound for each MiB of the file (formats without pages). */
  perMibMs: number;
  /** The parser thread's V8 heap: a file that needs more is rejected ('too-large'), not the machine exhausted. */
  heapMb: number;
}

/**
 * Chosen 2026-12-05 on a 2-core machine shared with other work: pdf.js gives a page's text in
 * 5–60 ms (freeculture.pdf, 352 pages, about 30 ms a page including layout), and over 971 PDFs of
 * pdf.js's test suite the slowest page took a few seconds. The bounds are an order of magnitude
 * above that, so only a parser that is stuck meets them.
 */
export const DEFAULT_BOUNDS: IngestBounds = {
  pageMs: 10_000,
  baseMs: 30_000,
  perPageMs: 1_000,
  perMibMs: 10_000,
  heapMb: 4_096,
};

/** The whole document's bound: known only once the page count is (pages null: by size). */
export function documentBoundMs(bounds: IngestBounds, pages: number | null, bytes: number): number {
  return pages === null ? bounds.baseMs + bounds.perMibMs * (bytes / 2 ** 20) : bounds.baseMs + bounds.perPageMs * pages;
}
