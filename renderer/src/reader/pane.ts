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
  /** Shows the quote's page and paints exactly the quote; false when it cannot be found. */
  showCitation(c: Citation): Promise<boolean>;
  find(query: string, again: boolean): Promise<FindResult>;
  clearFind(): void;
}
