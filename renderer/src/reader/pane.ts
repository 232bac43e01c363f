// What the reader asks of a document pane, whichever way the document is shown (pdf.js's viewer
// for PDFs, flowing text for the rest).
import type { Citation } from '../../../common/types.js';

export interface PaneLocation {
  page: number | null;
  scrollTop: number;
}

export interface FindResult {
  total: number;
  current: number;
}

export interface DocumentPane {
  location(): PaneLocation;
  restore(loc: PaneLocation): void;
  /** Paged documents only. */
  goToPage(page: number): void;
  /** Scrolls to a document offset (a heading of the outline). */
  goToOffset(offset: number, page: number | null): void;
  /**
   * Shows the quote and paints exactly it. Resolves to where it was painted: the page (a quote
   * cited on one page may begin on the next), null for unpaged text, false when it is not there.
   */
  showCitation(c: Citation): Promise<number | null | false>;
  find(query: string, again: boolean): Promise<FindResult>;
  clearFind(): void;
}
