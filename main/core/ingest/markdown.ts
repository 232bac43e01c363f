// Markdown into blocks, tolerantly: ATX and setext headings, paragraphs, list items, pipe
// tables (one block per row), fenced code (kept as a paragraph), block quotes (their text).
// Markup is stripped from the text a reader sees; inline and block HTML, common in
// hand-converted books, is reduced to its text and its paragraph breaks.
import { chapterRank, stripDecoration, type TextBlock } from './chapter-lines.js';
import { decodeEntities } from './markup.js';
import { joinWrappedLines } from './plain-text.js';

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const LIST_ITEM = /^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(.*)$/;
const TABLE_SEPARATOR = /^[ \t]*\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;
const LINK_DEFINITION = /^ {0,3}\[[^\]]+\]:[ \t]*\S+/;
const NUMBERED = /^[ \t]*\d{1,9}[.)][ \t]+\S/;

/** An underline at least as long as most of the line above it, not a rule that happens to follow. */
function underlines(underline: string, above: string): boolean {
  return underline.trim().length >= 0.8 * above.trim().length;
}

export function parseMarkdown(body: string): TextBlock[] {
  const lines = flattenHtml(body.replace(/<!--[\s\S]*?-->/g, '')).split('\n');
  const blocks: TextBlock[] = [];
  let paragraph: string[] = [];
  let item: string[] | null = null;
  /** The whole line of a numbered item just opened ("1. Definitions"), number included. */
  let itemLine: string | null = null;

  const flush = () => {
    if (item) blocks.push({ kind: 'list', level: 0, text: inlineText(joinWrappedLines(item)) });
    item = null;
    itemLine = null;
    if (paragraph.length === 0) return;
    const text = inlineText(joinWrappedLines(paragraph));
    const rank = paragraph.length === 1 ? chapterRank(text) : null;
    if (rank !== null) blocks.push({ kind: 'heading', level: 0, text: stripDecoration(text), chapterRank: rank });
    else blocks.push({ kind: 'paragraph', level: 0, text });
    paragraph = [];
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/^(?: {0,3}>[ \t]?)+/, '');
    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !isClosingFence(lines[i], fence[1]); i++) code.push(lines[i]);
      blocks.push({ kind: 'paragraph', level: 0, text: code.join('\n').trim() });
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      flush();
      blocks.push({ kind: 'heading', level: atx[1].length, text: inlineText(atx[2] ?? '') });
      continue;
    }
    // "1. Definitions" over a line of dashes, as plain-text licences number their sections:
    // CommonMark reads a list item and a rule, but the underline says the author meant a heading.
    if (item !== null && itemLine !== null && item.length === 1 && /^ {0,3}(=+|-+)[ \t]*$/.test(line) && underlines(line, itemLine)) {
      const text = inlineText(itemLine.trim());
      blocks.push({ kind: 'heading', level: line.trim()[0] === '=' ? 1 : 2, text });
      item = null;
      itemLine = null;
      continue;
    }
    if (paragraph.length > 0 && !item && /^ {0,3}(=+|-+)[ \t]*$/.test(line)) {
      const text = inlineText(joinWrappedLines(paragraph));
      blocks.push({ kind: 'heading', level: line.trim()[0] === '=' ? 1 : 2, text });
      paragraph = [];
      continue;
    }
    if (THEMATIC_BREAK.test(line) || LINK_DEFINITION.test(line)) {
      flush();
      continue;
    }
    if (line.includes('|') && i + 1 < lines.length && TABLE_SEPARATOR.test(lines[i + 1]) && lines[i + 1].includes('-')) {
      flush();
      blocks.push(tableRow(line));
      for (i += 2; i < lines.length && lines[i].includes('|') && lines[i].trim() !== ''; i++) blocks.push(tableRow(lines[i]));
      i--;
      continue;
    }
    const listItem = LIST_ITEM.exec(line);
    if (listItem) {
      flush();
      item = [listItem[1]];
      itemLine = NUMBERED.test(line) ? line : null;
      continue;
    }
    if (item) item.push(line);
    else paragraph.push(line);
  }
  flush();
  return blocks.filter((b) => b.text.length > 0);
}

function isClosingFence(line: string, opening: string): boolean {
  const m = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  return m !== null && m[1][0] === opening[0] && m[1].length >= opening.length;
}

function tableRow(line: string): TextBlock {
  const cells = line
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => inlineText(cell.trim()));
  return { kind: 'table', level: 0, text: cells.join(' | ') };
}

/**
 * Block-level HTML becomes line structure (so "<br>### Title" is a heading and "</p><p>" a
 * paragraph break); fenced code is left alone.
 */
function flattenHtml(body: string): string {
  if (!body.includes('<')) return body;
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of body.split('\n')) {
    const f = FENCE.exec(line);
    if (fence) {
      if (isClosingFence(line, fence)) fence = null;
      out.push(line);
      continue;
    }
    if (f) {
      fence = f[1];
      out.push(line);
      continue;
    }
    out.push(
      line
        .replace(/<br\s*\/?>/gi, '\n')
        .replace(/<h([1-6])\b[^>]*>/gi, (_m, n: string) => `\n\n${'#'.repeat(Number(n))} `)
        .replace(/<li\b[^>]*>/gi, '\n- ')
        .replace(/<\/?(?:p|div|blockquote|h[1-6]|ul|ol|li|table|tr|hr|section|article|center|pre|figure|figcaption|dl|dt|dd)\b[^>]*>/gi, '\n\n'),
    );
  }
  return out.join('\n');
}

/** The text of a Markdown span: emphasis, links, images, code marks, tags and escapes removed. */
export function inlineText(span: string): string {
  // Code spans are literal: split them out before touching the rest.
  const pieces = span.split(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/);
  let out = '';
  for (let i = 0; i < pieces.length; i += 3) {
    out += stripInline(pieces[i]);
    if (i + 2 < pieces.length) out += pieces[i + 2].trim();
  }
  return out.replace(/[ \t]+/g, ' ').trim();
}

const BLANK = '\uE000';
const BLANKS = /\uE000/g;

function stripInline(text: string): string {
  let s = text
    .replace(/!\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)/g, '$1')
    .replace(/\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)/g, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/<((?:https?|ftp|mailto):[^>\s]+)>/gi, '$1')
    .replace(/<([^@>\s]+@[^>\s]+\.[^>\s]+)>/g, '$1')
    .replace(/<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/g, '')
    // Runs of underscores are blanks to fill in ("means ______."), not emphasis.
    .replace(/_{3,}/g, (run) => BLANK.repeat(run.length));
  for (let pass = 0; pass < 3; pass++) {
    const before = s;
    s = s
      .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
      .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '$1')
      .replace(/(^|[^\p{L}\p{N}\\*])\*(?=\S)([^*]*?\S)\*(?![\p{L}\p{N}*])/gu, '$1$2')
      .replace(/(^|[^\p{L}\p{N}\\_])_(?=\S)([^_]*?\S)_(?![\p{L}\p{N}_])/gu, '$1$2');
    if (s === before) break;
  }
  return decodeEntities(s.replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, '$1')).replace(BLANKS, '_');
}
