// Painting a citation's quote exactly. Flowing text is rendered one text node per block, so a
// quote's character offsets become a DOM Range directly. A PDF page shows pdf.js's text layer,
// whose spans hold the page's text as the PDF draws it (lines broken, hyphens kept), not as
// Lectern extracted it; there the quote is found on its page by comparing both texts with
// whitespace, hyphens and compatibility forms (ligatures) taken out, and mapped back to spans.
// Ranges are painted with the CSS Custom Highlight API: no element of pdf.js's is changed.

export const CITATION_HIGHLIGHT = 'lectern-citation';
export const FIND_HIGHLIGHT = 'lectern-find';

export function paint(name: string, ranges: Range[]): void {
  if (ranges.length === 0) CSS.highlights.delete(name);
  else CSS.highlights.set(name, new Highlight(...ranges));
}

/** The text of a highlight's ranges (tests and the screen-reader announcement read it). */
export function paintedText(name: string): string {
  const h = CSS.highlights.get(name);
  return h ? [...h].map((r) => r.toString()).join('') : '';
}

interface Position {
  node: Text;
  offset: number;
}

/** Characters that take part in matching, each with where it sits in the DOM. */
function comparable(root: Node): { text: string; at: Position[] } {
  let text = '';
  const at: Position[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
    const node = n as Text;
    const data = node.data;
    for (let i = 0; i < data.length; i++) {
      for (const c of foldChar(data[i])) {
        text += c;
        at.push({ node, offset: i });
      }
    }
  }
  return { text, at };
}

function foldChar(c: string): string {
  if (/[\s\u00ad\-‐‑]/.test(c)) return '';
  return c.normalize('NFKC').toLowerCase().replace(/[’‘]/g, "'").replace(/[“”]/g, '"').replace(/\s/g, '');
}

export function fold(s: string): string {
  let out = '';
  for (const c of s) out += foldChar(c);
  return out;
}

/**
 * The DOM range of `quote` inside `root` (a PDF page's text layer); null when it is not there.
 * A quote that runs past the page's end (it crosses a page break) matches its longest prefix
 * of at least 20 comparable characters.
 */
export function findQuoteRange(root: Node, quote: string): Range | null {
  const page = comparable(root);
  const q = fold(quote);
  if (q.length === 0) return null;
  let start = page.text.indexOf(q);
  let length = q.length;
  if (start < 0) {
    for (let n = Math.min(q.length - 1, 400); n >= 20; n = Math.floor(n * 0.8)) {
      const i = page.text.indexOf(q.slice(0, n));
      if (i >= 0 && page.text.length - i <= n + 5) {
        start = i;
        length = page.text.length - i;
        break;
      }
    }
  }
  if (start < 0) return null;
  const first = page.at[start];
  const last = page.at[start + length - 1];
  const range = document.createRange();
  range.setStart(first.node, first.offset);
  range.setEnd(last.node, last.offset + 1);
  return range;
}

export interface OffsetBlock {
  start: number;
  end: number;
  element: HTMLElement;
}

/** The range of document offsets [start, end) over blocks rendered one text node each. */
export function offsetRange(blocks: readonly OffsetBlock[], start: number, end: number): Range | null {
  const first = blocks.find((b) => b.end > start);
  const last = [...blocks].reverse().find((b) => b.start < end);
  if (!first || !last) return null;
  const a = first.element.firstChild;
  const z = last.element.firstChild;
  if (!(a instanceof Text) || !(z instanceof Text)) return null;
  const range = document.createRange();
  range.setStart(a, Math.max(0, Math.min(a.length, start - first.start)));
  range.setEnd(z, Math.max(0, Math.min(z.length, end - last.start)));
  return range;
}
