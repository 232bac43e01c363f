// Lines into paragraphs. A new paragraph starts at a change of font size, a vertical gap wider
// than the column's usual line step, a first-line indent after a finished line, a short
// finished line in justified text, an outdent after indented lines, or a bullet. At a column or
// page change a paragraph carries on unless its last line visibly ended one.
import { collectWords, endsSentence, isCjk, joinLines, startsWithBullet } from './pdf-join.js';
import type { Line } from './pdf-layout.js';

export interface Paragraph {
  kind: 'paragraph' | 'list' | 'heading';
  level: number;
  text: string;
  page: number;
  /**
   * Where later pages begin inside the paragraph's text (a paragraph runs on across a page
   * break): offsets into `text`, so a citation can name the page its quote is on.
   */
  pageBreaks?: PageBreak[];
  /** Baseline of the first line, in the page's reading frame. */
  y: number;
  size: number;
  lines: number;
}

export interface PageBreak {
  /** Offset into the paragraph's text where `page` begins. */
  at: number;
  page: number;
}

const SIZE_CHANGE = 0.12; // relative difference in font size that separates blocks
const GAP = 1.4; // a baseline distance above this many line steps is a paragraph gap
const INDENT = 0.6; // in ems: smaller horizontal offsets are noise
const RESUME_WINDOW = 20; // paragraphs (figure labels, footnotes) an interrupted paragraph may wait behind

function isShort(line: Line): boolean {
  return line.x1 < line.right - Math.max(2 * line.size, 0.1 * (line.right - line.left));
}

/** The line reaches the right edge of a column that has enough lines to know where that is. */
function fillsColumn(line: Line): boolean {
  return line.columnLines >= 4 && !isShort(line);
}

function isIndented(line: Line): boolean {
  const offset = line.x0 - line.left;
  return offset > INDENT * line.size && offset < 0.3 * (line.right - line.left);
}

function startsLower(text: string): boolean {
  return /^\p{Ll}/u.test(text) || isCjk(Array.from(text)[0]);
}

/** Lines centred on each other, the first off the margin: a centred title or address block. */
function centred(a: Line, b: Line): boolean {
  const shift = Math.abs((a.x0 + a.x1) / 2 - (b.x0 + b.x1) / 2);
  const offMargin = a.x0 - a.left > INDENT * a.size;
  return offMargin && shift < INDENT * b.size && Math.abs(a.x0 - b.x0) > INDENT * b.size;
}

/**
 * Whether the document marks paragraphs by indenting their first lines: then a sentence that
 * ends at the foot of a column does not end its paragraph unless the next line is indented.
 */
function marksParagraphsByIndent(lines: Line[]): boolean {
  let indented = 0;
  for (let i = 1; i < lines.length; i++) {
    const a = lines[i - 1];
    const b = lines[i];
    if (a.block === b.block && endsSentence(a.text) && isIndented(b) && b.x0 > a.x0) indented++;
  }
  return indented >= 3;
}

/** How the document sets its text, judged over all of it (one page can be too short to tell). */
export interface TextStyle {
  /** Paragraphs are marked by first-line indents. */
  byIndent: boolean;
  /** Most lines are justified. */
  justified: boolean;
}

export function textStyleOf(lines: Line[]): TextStyle {
  return {
    byIndent: marksParagraphsByIndent(lines),
    justified: lines.filter((l) => l.justified).length >= 0.5 * lines.length,
  };
}

/**
 * Whether `b` starts a new paragraph after `a`; `aOpens` says `a` is its paragraph's first line.
 */
export function startsParagraph(a: Line, b: Line, aOpens: boolean, style: TextStyle): boolean {
  if (Math.abs(a.size - b.size) > SIZE_CHANGE * Math.min(a.size, b.size)) return true;
  if (startsWithBullet(b.text)) return true;
  const finished = endsSentence(a.text);
  if (a.block !== b.block || a.page !== b.page) {
    // Moving to the next column or page: carry on only where the text visibly runs on.
    // A short finished line ends its paragraph unless the text is ragged and indents paragraphs.
    if (finished) return isIndented(b) || (!fillsColumn(a) && (style.justified || !style.byIndent));
    // A line of code or a table row at the top of the next column does not continue prose.
    return !(startsLower(b.text) || (fillsColumn(a) && /^[\p{Lu}“"‘'(]/u.test(b.text)));
  }
  const dy = b.y - a.y;
  if (dy <= 0 || dy > GAP * a.step + 0.5) return true;
  if (centred(a, b)) return false;
  if (isIndented(b) && b.x0 > a.x0 + INDENT * b.size && (finished || isShort(a))) return true;
  if (a.justified && finished && isShort(a)) return true;
  if (!aOpens && a.x0 - b.x0 > INDENT * b.size) return true;
  return false;
}

/**
 * A paragraph cut off at the foot of a column by a footnote or figure and resumed after it: the
 * most recent paragraph in the new line's size whose last line ran to the column's edge without
 * ending a sentence, when the new line reads as a continuation (lower-case start, no indent).
 */
function interrupted(recent: Paragraph[], lastLines: Map<Paragraph, Line>, line: Line): Paragraph | null {
  if (!startsLower(line.text) || isIndented(line)) return null;
  const open = (p: Paragraph) => {
    const last = lastLines.get(p);
    return (
      last !== undefined &&
      p.kind === 'paragraph' &&
      !endsSentence(p.text) &&
      fillsColumn(last) &&
      Math.abs(last.size - line.size) <= SIZE_CHANGE * Math.min(last.size, line.size)
    );
  };
  // The paragraph just before must be the interruption, not a text of the same kind.
  if (recent.length === 0 || open(recent[recent.length - 1])) return null;
  for (let i = recent.length - 2; i >= Math.max(0, recent.length - RESUME_WINDOW); i--) if (open(recent[i])) return recent[i];
  return null;
}

/** Builds paragraphs from the document's lines in reading order. */
export function buildParagraphs(lines: Line[]): Paragraph[] {
  const vocabulary = new Set<string>();
  for (const line of lines) collectWords(line.text, vocabulary);
  const style = textStyleOf(lines);
  const out: Paragraph[] = [];
  const lastLines = new Map<Paragraph, Line>();
  let current: Paragraph | null = null;
  let previous: Line | null = null;
  for (const line of lines) {
    const continues: boolean =
      current !== null && previous !== null && !startsParagraph(previous, line, current.lines === 1, style);
    const target: Paragraph | null = continues ? current : interrupted(out, lastLines, line);
    if (target) {
      const lastPage = lastLines.get(target)?.page ?? target.page;
      target.text = joinLines(target.text, line.text, vocabulary);
      // joinLines keeps the new line whole at the end (it only drops a hyphen or adds a space).
      if (line.page !== lastPage) (target.pageBreaks ??= []).push({ at: target.text.length - line.text.length, page: line.page });
      target.lines += 1;
      current = target;
    } else {
      current = {
        kind: startsWithBullet(line.text) ? 'list' : 'paragraph',
        level: 0,
        text: line.text,
        page: line.page,
        y: line.y,
        size: line.size,
        lines: 1,
      };
      out.push(current);
    }
    lastLines.set(current, line);
    previous = line;
  }
  return out;
}
