// Where an offset of a document's text is, as a citation names it: the page for paged
// documents, and the heading path with the paragraph's number under its heading for all. Search
// cites through it today, answers and summaries next, so every citation names the page of its
// quote's first character, not the page of the passage or paragraph it came from.
import type { BlockKind, Document, PageBreak } from '../document.js';
import { lastIndexAtOrBefore } from '../sorted.js';

export interface LayoutBlock {
  kind: BlockKind;
  level: number;
  page: number | null;
  start: number;
  end: number;
  /** The heading's text; null for other blocks. */
  heading: string | null;
}

/** A document's structure without its body text (store/documents.ts loads it). */
export interface Layout {
  /** In text order. */
  blocks: LayoutBlock[];
  /** Pages that begin inside a block, in text order. */
  pageBreaks: PageBreak[];
}

export interface Location {
  /** 1-based page of the offset; null for documents without pages. */
  page: number | null;
  /** Headings above the offset, outermost first (a heading's own path ends with itself). */
  sectionPath: string[];
  /** 1-based number of the offset's block among the blocks under its nearest heading; null on a heading. */
  paragraph: number | null;
}

export function layoutOf(doc: Document): Layout {
  return {
    blocks: doc.blocks.map((b) => ({ kind: b.kind, level: b.level, page: b.page, start: b.start, end: b.end, heading: b.kind === 'heading' ? b.text : null })),
    pageBreaks: doc.pageBreaks ?? [],
  };
}

export class Locator {
  /** Offsets where a page begins (a block's start or a break inside one) and that page, ascending. */
  private readonly pageStarts: number[] = [];
  private readonly pageAtStart: number[] = [];
  private readonly blockStarts: number[];
  private readonly paths: string[][];
  private readonly paragraphs: Array<number | null>;

  constructor(layout: Layout) {
    const starts: Array<{ start: number; page: number }> = [];
    for (const b of layout.blocks) if (b.page !== null) starts.push({ start: b.start, page: b.page });
    starts.push(...layout.pageBreaks);
    // Stable: a block's start sorts before a break at the same offset, so the break wins.
    starts.sort((a, b) => a.start - b.start);
    for (const s of starts) {
      this.pageStarts.push(s.start);
      this.pageAtStart.push(s.page);
    }
    this.blockStarts = layout.blocks.map((b) => b.start);
    this.paths = [];
    this.paragraphs = [];
    const headings = layout.blocks.filter((b) => b.kind === 'heading');
    const headingPath = headingPaths(headings.map((b) => ({ level: b.level, text: b.heading ?? '' })));
    let h = -1;
    let path: string[] = [];
    let paragraph = 0;
    for (const b of layout.blocks) {
      if (b.kind === 'heading') {
        path = headingPath[++h];
        paragraph = 0;
        this.paragraphs.push(null);
      } else {
        this.paragraphs.push(++paragraph);
      }
      this.paths.push(path);
    }
  }

  locate(offset: number): Location {
    const p = lastAtOrBefore(this.pageStarts, offset);
    const b = lastAtOrBefore(this.blockStarts, offset);
    return {
      page: this.pageAtStart.length === 0 ? null : this.pageAtStart[Math.max(0, p)],
      sectionPath: b < 0 ? [] : this.paths[b],
      paragraph: b < 0 ? null : this.paragraphs[b],
    };
  }
}

/**
 * Each heading's path, in order: the headings above it (each of a lower level than the next) and
 * itself, outermost first.
 */
export function headingPaths(headings: Array<{ level: number; text: string }>): string[][] {
  const stack: Array<{ level: number; text: string }> = [];
  return headings.map((h) => {
    while (stack.length > 0 && stack[stack.length - 1].level >= h.level) stack.pop();
    stack.push(h);
    return stack.map((s) => s.text);
  });
}

/** Index of the last value ≤ x in an ascending array; −1 when none is. */
function lastAtOrBefore(sorted: number[], x: number): number {
  return lastIndexAtOrBefore(sorted.length, (i) => sorted[i], x);
}
