// Plain text into blocks: paragraphs are separated by blank lines (or, in files that never
// leave one, are single lines or start at an indent); hard-wrapped lines are joined with a
// space, or with nothing between Chinese or Japanese characters, while lines set one by one
// (verse) keep their breaks; a chapter line standing alone is a heading.
import { CJK_SCRIPTS } from '../text/cjk.js';
import { chapterRank, stripDecoration, type TextBlock } from './chapter-lines.js';
import { detach } from './text-decode.js';

export function parsePlainText(body: string, onProgress?: (groupsDone: number, groupsTotal: number) => void): TextBlock[] {
  const blocks: TextBlock[] = [];
  const lines = nonBlankLines(body);
  const groups = paragraphGroups(lines);
  const total = groups.length - 1;
  for (let g = 0; g < total; g++) {
    // The group's lines exist only while it is turned into blocks: a book's million lines held
    // at once as strings took several times the text's own size (issue 18).
    const group: string[] = [];
    for (let k = groups[g]; k < groups[g + 1]; k++) group.push(lines.text(k));
    // Copies: a block sliced from a line keeps the whole text alive, which can then go as soon
    // as it is parsed.
    for (const block of groupToBlocks(group)) blocks.push({ ...block, text: detach(block.text) });
    if (g > 0 && g % 4096 === 0) onProgress?.(g, total);
  }
  return blocks;
}

/** The text's lines that are not blank, as offsets into it, with the count of blank ones. */
class NonBlankLines {
  constructor(
    private readonly body: string,
    readonly starts: Int32Array,
    readonly ends: Int32Array,
    /** Each line's index among all lines, blank ones included. */
    readonly indices: Int32Array,
    readonly count: number,
    readonly blank: number,
  ) {}

  text(k: number): string {
    return this.body.slice(this.starts[k], this.ends[k]);
  }
}

const NON_SPACE = /\S/g;

function nonBlankLines(body: string): NonBlankLines {
  let starts: Int32Array = new Int32Array(1024);
  let ends: Int32Array = new Int32Array(1024);
  let indices: Int32Array = new Int32Array(1024);
  let count = 0;
  let all = 0;
  for (let from = 0; ; all++) {
    const newline = body.indexOf('\n', from);
    const to = newline < 0 ? body.length : newline;
    NON_SPACE.lastIndex = from;
    const visible = NON_SPACE.exec(body);
    if (visible !== null && visible.index < to) {
      if (count === starts.length) {
        starts = grown(starts);
        ends = grown(ends);
        indices = grown(indices);
      }
      starts[count] = from;
      ends[count] = to;
      indices[count++] = all;
    }
    if (newline < 0) break;
    from = newline + 1;
  }
  return new NonBlankLines(body, starts, ends, indices, count, all + 1 - count);
}

function grown(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/** Where each paragraph's lines begin, as indices into the non-blank lines, and their end last. */
function paragraphGroups(lines: NonBlankLines): Int32Array {
  const n = lines.count;
  const starts: number[] = [];
  if (n < 10 || lines.blank >= n * 0.05) {
    // Paragraphs separated by blank lines.
    for (let k = 0; k < n; k++) if (k === 0 || lines.indices[k] > lines.indices[k - 1] + 1) starts.push(k);
    return Int32Array.from([...starts, n]);
  }
  // Hardly a blank line: either one paragraph per line, or wrapped paragraphs that start at
  // an indent.
  let indented = 0;
  let wide = 0;
  for (let k = 0; k < n; k++) {
    const line = lines.text(k);
    if (/^[ \t\u3000]/.test(line)) indented++;
    if (line.length >= 60 || displayWidth(line) >= 60) wide++;
  }
  if (indented > n * 0.05 && indented < n * 0.6 && wide > n * 0.5) {
    for (let k = 0; k < n; k++) {
      const line = lines.text(k);
      if (k === 0 || /^[ \t\u3000]/.test(line) || chapterRank(line) !== null) starts.push(k);
    }
    return Int32Array.from([...starts, n]);
  }
  const each = new Int32Array(n + 1);
  for (let k = 0; k <= n; k++) each[k] = k;
  return each;
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
