// Plain text into blocks: paragraphs are separated by blank lines (or, in files that never
// leave one, are single lines or start at an indent); hard-wrapped lines are joined with a
// space, or with nothing between Chinese or Japanese characters, while lines set one by one
// (verse) keep their breaks; a chapter line standing alone is a heading.
import { CJK_SCRIPTS } from '../text/cjk.js';
import { chapterRank, stripDecoration, type TextBlock } from './chapter-lines.js';

export function parsePlainText(body: string, onProgress?: (groupsDone: number, groupsTotal: number) => void): TextBlock[] {
  const blocks: TextBlock[] = [];
  const groups = paragraphGroups(body.split('\n'));
  for (const [i, group] of groups.entries()) {
    blocks.push(...groupToBlocks(group));
    if (i > 0 && i % 4096 === 0) onProgress?.(i, groups.length);
  }
  return blocks;
}

function paragraphGroups(lines: string[]): string[][] {
  const nonBlank = lines.filter((l) => l.trim().length > 0);
  const blank = lines.length - nonBlank.length;
  if (nonBlank.length < 10 || blank >= nonBlank.length * 0.05) return splitOnBlankLines(lines);
  // Hardly a blank line: either one paragraph per line, or wrapped paragraphs that start at
  // an indent.
  const indented = nonBlank.filter((l) => /^[ \t\u3000]/.test(l)).length;
  const wide = nonBlank.filter((l) => l.length >= 60 || displayWidth(l) >= 60).length;
  if (indented > nonBlank.length * 0.05 && indented < nonBlank.length * 0.6 && wide > nonBlank.length * 0.5) {
    const groups: string[][] = [];
    for (const line of nonBlank) {
      if (groups.length === 0 || /^[ \t\u3000]/.test(line) || chapterRank(line) !== null) groups.push([line]);
      else groups[groups.length - 1].push(line);
    }
    return groups;
  }
  return nonBlank.map((l) => [l]);
}

function splitOnBlankLines(lines: string[]): string[][] {
  const groups: string[][] = [];
  let current: string[] = [];
  for (const line of lines) {
    if (line.trim().length === 0) {
      if (current.length > 0) groups.push(current);
      current = [];
    } else {
      current.push(line);
    }
  }
  if (current.length > 0) groups.push(current);
  return groups;
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
  let out = parts[0];
  for (let i = 1; i < parts.length; i++) {
    const prev = parts[i - 1];
    const next = parts[i];
    if (setByHand && keepsBreak(prev, parts.length)) out += `\n${next}`;
    else out += WIDE.test(lastChar(out)) || WIDE.test(firstChar(next)) ? next : ` ${next}`;
  }
  return out;
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
