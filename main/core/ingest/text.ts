// Plain text and Markdown: decoded once (encoding guessed from a sample), line endings and
// Unicode normalised, a Project Gutenberg header and licence cut away (its Title and Author
// kept), then parsed into blocks.
import type { IngestNote } from '../document-notes.js';
import { DocumentBuilder, type Document } from '../document.js';
import { settleChapterHeadings, type TextBlock } from './chapter-lines.js';
import { detectEncoding } from './encoding.js';
import { inlineText, parseMarkdown } from './markdown.js';
import { parsePlainText } from './plain-text.js';
import { unboxText } from './text-boxes.js';
import { decodeNormalized, normalizeText } from './text-decode.js';

// Here since text-decode.ts needs it too (and text.ts needs text-decode.ts): no import cycle.
export { normalizeText } from './text-decode.js';

/** Progress of a stage of a text's ingestion, in the stage's own unit ("KiB decoded", "blocks"). */
export type TextProgress = (done: number, total: number, unit: string) => void;

export async function ingestText(bytes: Uint8Array, kind: 'txt' | 'md', onProgress?: TextProgress): Promise<Document> {
  const kib = (n: number): number => Math.round(n / 1024);
  const source = { text: decodeNormalized(bytes, detectEncoding(bytes), (done, total) => onProgress?.(kib(done), kib(total), 'KiB decoded')) };
  return normalizedToDocument(source, kind, onProgress);
}

export function textToDocument(raw: string, kind: 'txt' | 'md'): Document {
  return normalizedToDocument({ text: normalizeText(raw) }, kind);
}

const PROGRESS_EVERY = 4096;
const ADDED: TextBlock = { kind: 'paragraph', level: 0, text: '' };

/**
 * `source.text` is emptied once it is parsed: a book's decoded text (twice its size in memory
 * when it has any character past Latin-1) can then be freed while the Document's own text is
 * joined (issue 18), rather than every copy living until the end.
 */
function normalizedToDocument(source: { text: string }, kind: 'txt' | 'md', onProgress?: TextProgress): Document {
  const parsed = parseBlocks(source, kind, onProgress);
  const { blocks, gutenberg } = parsed;
  const title = detach(parsed.title);
  const author = gutenberg.author === null ? null : detach(gutenberg.author);
  const builder = new DocumentBuilder();
  const count = blocks.length;
  for (let i = 0; i < count; i++) {
    builder.add({ kind: blocks[i].kind, level: blocks[i].level, page: null, text: blocks[i].text });
    // Each parsed block goes once it is copied: the text is not held twice over.
    blocks[i] = ADDED;
    if (i > 0 && i % PROGRESS_EVERY === 0) onProgress?.(i, count, 'blocks');
  }
  return builder.build({ kind, title, author, pages: null, notes: gutenberg.removed });
}

/**
 * A copy of a short string that shares no memory with the one it came from: a title sliced from
 * a 50 MiB decoded text would otherwise keep all of it alive through the join and as long as
 * the Document.
 */
function detach(text: string): string {
  return Array.from(text).join('');
}

function parseBlocks(source: { text: string }, kind: 'txt' | 'md', onProgress?: TextProgress): { blocks: TextBlock[]; gutenberg: GutenbergParts; title: string } {
  const gutenberg = cutGutenberg(source.text);
  source.text = '';
  const body = unboxText(gutenberg.body);
  gutenberg.body = '';
  const parsed = kind === 'md' ? parseMarkdown(body) : parsePlainText(body, (done, total) => onProgress?.(done, total, 'paragraphs parsed'));
  const blocks = settleChapterHeadings(parsed);
  return { blocks, gutenberg, title: chooseTitle(blocks, gutenberg.title, body, kind) };
}

interface GutenbergParts {
  body: string;
  title: string | null;
  author: string | null;
  /** What was cut, for the reader to see. */
  removed: IngestNote[];
}

const GUTENBERG_START = /^\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG.*$/im;
const GUTENBERG_END = /^\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG.*$/gim;

/**
 * The text between the first "*** START OF …" line and the last "*** END OF …" line, when they
 * are present. Several books joined into one file keep every book: the END lines, licences and
 * headers between them are text of the file, and only its outer header and licence go.
 */
export function cutGutenberg(text: string): GutenbergParts {
  const start = GUTENBERG_START.exec(text);
  if (!start) return { body: text, title: null, author: null, removed: [] };
  const header = text.slice(0, start.index);
  const bodyFrom = start.index + start[0].length;
  let end: RegExpExecArray | null = null;
  GUTENBERG_END.lastIndex = bodyFrom;
  for (let m = GUTENBERG_END.exec(text); m !== null; m = GUTENBERG_END.exec(text)) end = m;
  const bodyTo = end === null ? text.length : end.index;
  const field = (name: string) => {
    const m = new RegExp(`^${name}:[ \\t]*(.+(?:\\n[ \\t]+\\S.*)*)`, 'm').exec(header);
    return m ? m[1].replace(/\s+/g, ' ').trim() : null;
  };
  const removed = [removal(text, 0, bodyFrom, 'start')];
  if (bodyTo < text.length) removed.push(removal(text, bodyTo, text.length, 'end'));
  return { body: text.slice(bodyFrom, bodyTo), title: field('Title'), author: field('Author'), removed };
}

function removal(text: string, from: number, to: number, where: 'start' | 'end'): IngestNote {
  const lineAt = (offset: number) => lineCount(text, offset) + 1;
  // From the line of the first removed character to the line of the last.
  const lines: [number, number] = [lineAt(from), lineAt(to - 1)];
  const what = where === 'start' ? 'Project Gutenberg header, up to its first "*** START OF" line' : 'Project Gutenberg licence, from its last "*** END OF" line';
  return {
    code: 'boilerplate-removed',
    message: `removed ${(to - from).toLocaleString('en-US')} characters of ${what} (lines ${lines[0]}–${lines[1]})`,
    where,
    chars: to - from,
    lines,
  };
}

function lineCount(text: string, until: number): number {
  let n = 0;
  const stop = Math.min(until, text.length);
  for (let i = text.indexOf('\n'); i >= 0 && i < stop; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The first level-1 heading of the Markdown, the Gutenberg title, or the first short line. */
function chooseTitle(blocks: TextBlock[], gutenbergTitle: string | null, body: string, kind: 'txt' | 'md'): string {
  const markdownTitle = blocks.find((b) => b.kind === 'heading' && b.level === 1 && b.chapterRank === undefined);
  if (kind === 'md' && markdownTitle) return markdownTitle.text;
  if (gutenbergTitle) return gutenbergTitle;
  for (const line of body.slice(0, 64 * 1024).split('\n')) {
    const text = kind === 'md' ? inlineText(line.replace(/^\s*#+\s*/, '').replace(/<[^>]*>/g, '')) : line.trim();
    if (text.length === 0 || /^[-=*_#\s]+$/.test(text)) continue;
    return text.length <= 100 ? text : '';
  }
  return '';
}
