// Plain text into blocks: paragraphs are separated by blank lines (or, in files that never
// leave one, are single lines or start at an indent); hard-wrapped lines are joined with a
// space, or with nothing between Chinese or Japanese characters, while lines set one by one
// (verse) keep their breaks; a chapter line standing alone is a heading.
import { CJK_SCRIPTS } from '../text/cjk.js';
import { chapterRank, stripDecoration, type TextBlock } from './chapter-lines.js';

/** How a text's lines group into paragraphs, decided from the whole text's lines (LineStats). */
export type ParagraphMode = 'blank-lines' | 'indents' | 'lines';

const NON_SPACE = /\S/;
const INDENT = /^[ \t\u3000]/;

/** Counts over all of a text's lines that decide its ParagraphMode; a line at a time. */
export class LineStats {
  private lines = 0;
  private nonBlank = 0;
  private indented = 0;
  private wide = 0;

  line(text: string): void {
    this.lines++;
    if (!NON_SPACE.test(text)) return;
    this.nonBlank++;
    if (INDENT.test(text)) this.indented++;
    // Counting columns goes character by character: only a line with a wide character can have
    // more columns than characters (most books have none, and counting every line slowed adding one).
    if (text.length >= 60 || (WIDE.test(text) && displayWidth(text) >= 60)) this.wide++;
  }

  /**
   * Paragraphs separated by blank lines; or, with hardly a blank line, wrapped paragraphs that
   * start at an indent, or one paragraph per line.
   */
  mode(): ParagraphMode {
    const n = this.nonBlank;
    if (n < 10 || this.lines - n >= n * 0.05) return 'blank-lines';
    if (this.indented > n * 0.05 && this.indented < n * 0.6 && this.wide > n * 0.5) return 'indents';
    return 'lines';
  }
}

/**
 * Groups a text's lines into paragraphs as they come and turns each into blocks; only the open
 * paragraph's lines are held.
 */
export class ParagraphGrouper {
  private group: string[] = [];
  private blankBefore = false;

  constructor(
    private readonly mode: ParagraphMode,
    private readonly emit: (block: TextBlock) => void,
  ) {}

  line(text: string): void {
    if (!NON_SPACE.test(text)) {
      this.blankBefore = true;
      return;
    }
    const starts =
      this.mode === 'lines' ||
      (this.mode === 'blank-lines' && this.blankBefore) ||
      (this.mode === 'indents' && (INDENT.test(text) || chapterRank(text) !== null));
    this.blankBefore = false;
    if (starts) this.flush();
    this.group.push(text);
  }

  finish(): void {
    this.flush();
  }

  private flush(): void {
    if (this.group.length === 0) return;
    for (const block of groupToBlocks(this.group)) this.emit(block);
    this.group = [];
  }
}

function groupToBlocks(group: string[]): TextBlock[] {
  if (group.length >= 3 && group.filter((l) => chapterRank(l) !== null).length * 2 >= group.length) {
    return group.map((l) => ({ kind: 'list', level: 0, text: l.trim(), contents: true }));
  }
  const first = group[0].trim();
  const rank = chapterRank(first);
  if (rank === null) return [{ kind: 'paragraph', level: 0, text: joinWrappedLines(group, true) }];
  const heading = stripDecoration(first);
  if (group.length === 1) return [{ kind: 'heading', level: 0, text: heading, chapterRank: rank }];
  // "BOOK I." over "MISS BROOKE.": a number and its title on two lines.
  const second = stripDecoration(group[1]);
  if (group.length === 2 && displayWidth(second) <= 60 && !/[,;]$/.test(second)) {
    return [{ kind: 'heading', level: 0, text: `${heading} ${second}`, chapterRank: rank }];
  }
  return [
    { kind: 'heading', level: 0, text: heading, chapterRank: rank },
    { kind: 'paragraph', level: 0, text: joinWrappedLines(group.slice(1), true) },
  ];
}

const WIDE = new RegExp(`[${CJK_SCRIPTS}\\u3000-\\u303F\\uFF00-\\uFF60\\uFFE0-\\uFFE6]`, 'u');
const ENDS_IN_PUNCTUATION = /\p{P}$/u;
/** A line ending here stops mid-sentence, so its break is the file's wrapping, not the author's. */
const CLAUSE_END = /[，、；：,;:]$/u;
/** Chinese filled to a width fills more than this many columns (24 characters) before it wraps. */
const NARROW = 48;

/**
 * Joins the lines of one paragraph. With `keepShortLines`, a block of Western text whose lines
 * are all short (verse, an address, a contents list) keeps its line breaks, and so does Chinese
 * set line by line (a poem's title, its author, its verses).
 */
export function joinWrappedLines(lines: string[], keepShortLines = false): string {
  const parts = lines.map((l) => l.trim()).filter((l) => l.length > 0);
  if (parts.length === 0) return '';
  if (keepShortLines && parts.length > 1 && parts.every((p) => p.length < 40 && !WIDE.test(p))) return parts.join('\n');
  const setByHand = keepShortLines && parts.some((p) => WIDE.test(p)) && !filledToWidth(parts);
  // Gathered and joined once: a string grown line by line is a chain of pieces that holds on to
  // every line (and through them to the whole file) until something flattens it.
  const out: string[] = [parts[0]];
  for (let i = 1; i < parts.length; i++) {
    const prev = parts[i - 1];
    const next = parts[i];
    if (setByHand && keepsBreak(prev, parts.length)) out.push('\n', next);
    else if (WIDE.test(lastChar(prev)) || WIDE.test(firstChar(next))) out.push(next);
    else out.push(' ', next);
  }
  return out.length === 1 ? out[0] : out.join('');
}

/** Whether a line of Chinese set line by line ends where its author ended it. */
function keepsBreak(line: string, lines: number): boolean {
  if (displayWidth(line) > NARROW || CLAUSE_END.test(line)) return false;
  // Two lines alone cannot show a pattern: keep the break only under a line with no closing
  // punctuation (a title over its author), not between two sentences of one paragraph.
  return lines >= 3 || !ENDS_IN_PUNCTUATION.test(line);
}

/**
 * Every line but the last as wide as the widest (within a character), and not every one ending
 * in punctuation: a paragraph wrapped where each line filled up.
 */
function filledToWidth(parts: string[]): boolean {
  const body = parts.slice(0, -1);
  if (body.length < 2) return false;
  const widths = body.map(displayWidth);
  // reduce, not Math.max(...widths): a group can have more lines than a call takes arguments.
  const widest = widths.reduce((a, b) => Math.max(a, b), 0);
  return widths.every((w) => w >= widest - 2) && !body.every((p) => ENDS_IN_PUNCTUATION.test(p));
}

/** Columns a line takes in a monospace font: Chinese and Japanese characters count two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += WIDE.test(ch) ? 2 : 1;
  return width;
}

function lastChar(text: string): string {
  const code = text.codePointAt(text.length - 1) ?? 0;
  // A trailing low surrogate: take the whole astral character.
  return code >= 0xdc00 && code <= 0xdfff ? text.slice(-2) : text.slice(-1);
}

function firstChar(text: string): string {
  return String.fromCodePoint(text.codePointAt(0) ?? 0x20);
}
