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
  /** Baseline of the first line, in the page's reading frame. */
  y: number;
  size: number;
  lines: number;
}

const SIZE_CHANGE = 0.12; // relative difference in font size that separates blocks
const GAP = 1.4; // a baseline distance above this many line steps is a paragraph gap
const INDENT = 0.6; // in ems: smaller horizontal offsets are noise

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

/** Two lines centred on each other with different starts: a centred title or address block. */
function centred(a: Line, b: Line): boolean {
  const shift = Math.abs((a.x0 + a.x1) / 2 - (b.x0 + b.x1) / 2);
  return shift < INDENT * b.size && Math.abs(a.x0 - b.x0) > INDENT * b.size;
}

/** Whether `b` starts a new paragraph after `a`; `aOpens` says `a` is its paragraph's first line. */
export function startsParagraph(a: Line, b: Line, aOpens: boolean): boolean {
  if (Math.abs(a.size - b.size) > SIZE_CHANGE * Math.min(a.size, b.size)) return true;
  if (startsWithBullet(b.text)) return true;
  const finished = endsSentence(a.text);
  if (a.block !== b.block || a.page !== b.page) {
    // Moving to the next column or page: carry on only where the text visibly runs on.
    if (finished) return isIndented(b) || !fillsColumn(a);
    return !(startsLower(b.text) || fillsColumn(a));
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
 * A paragraph cut off at the foot of a column by a footnote or figure and resumed at the top of
 * the next: the most recent unfinished paragraph in the new line's size, when the new line reads
 * as a continuation (lower-case start, no indent).
 */
function interrupted(recent: Paragraph[], lastLines: Map<Paragraph, Line>, line: Line): Paragraph | null {
  if (!startsLower(line.text) || isIndented(line)) return null;
  const open = (p: Paragraph) => {
    const last = lastLines.get(p);
    return (
      last !== undefined &&
      p.kind === 'paragraph' &&
      !endsSentence(p.text) &&
      Math.abs(last.size - line.size) <= SIZE_CHANGE * Math.min(last.size, line.size)
    );
  };
  // The paragraph just before must be the interruption, not a text of the same kind.
  if (recent.length === 0 || open(recent[recent.length - 1])) return null;
  for (let i = recent.length - 2; i >= Math.max(0, recent.length - 9); i--) if (open(recent[i])) return recent[i];
  return null;
}

/** Builds paragraphs from the document's lines in reading order. */
export function buildParagraphs(lines: Line[]): Paragraph[] {
  const vocabulary = new Set<string>();
  for (const line of lines) collectWords(line.text, vocabulary);
  const out: Paragraph[] = [];
  const lastLines = new Map<Paragraph, Line>();
  let current: Paragraph | null = null;
  let previous: Line | null = null;
  for (const line of lines) {
    let target: Paragraph | null = null;
    if (current && previous && !startsParagraph(previous, line, current.lines === 1)) target = current;
    else target = interrupted(out, lastLines, line);
    if (target) {
      target.text = joinLines(target.text, line.text, vocabulary);
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
