// Plain text and Markdown: decoded once (encoding guessed from a sample), line endings and
// Unicode normalised, a Project Gutenberg header and licence cut away (its Title and Author
// kept), then parsed into blocks.
import type { IngestNote } from '../document-notes.js';
import { DocumentBuilder, type Document } from '../document.js';
import { fullCollector } from '../model/output-garbage.js';
import { settleChapterHeadings, type TextBlock } from './chapter-lines.js';
import { detectEncoding } from './encoding.js';
import { inlineText, parseMarkdown } from './markdown.js';
import { parsePlainText } from './plain-text.js';
import { unboxText } from './text-boxes.js';
import { decodeNormalized, detach, normalizeText } from './text-decode.js';

// Here since text-decode.ts needs it too (and text.ts needs text-decode.ts): no import cycle.
export { normalizeText } from './text-decode.js';

/** Progress of a stage of a text's ingestion, in the stage's own unit ("KiB decoded", "blocks"). */
export type TextProgress = (done: number, total: number, unit: string) => void;

export async function ingestText(bytes: Uint8Array, kind: 'txt' | 'md', onProgress?: TextProgress): Promise<Document> {
  const kib = (n: number): number => Math.round(n / 1024);
  const source = { text: decodeNormalized(bytes, detectEncoding(bytes), (done, total) => onProgress?.(kib(done), kib(total), 'KiB decoded')) };
  const large = source.text.length >= LARGE_CHARS;
  if (large) collectGarbage();
  return normalizedToDocument(source, kind, onProgress, large);
}

export function textToDocument(raw: string, kind: 'txt' | 'md'): Document {
  return normalizedToDocument({ text: normalizeText(raw) }, kind);
}

const PROGRESS_EVERY = 4096;

/**
 * From here on (4M characters, 8 MB of text in memory) a full collection between the stages of
 * adding a document frees a stage's dead copies of the text before the next makes its own (V8
 * otherwise lets the heap grow to several times what is live); a collection takes tenths of a
 * second against tens of seconds for the whole (2026-12-05).
 */
export const LARGE_CHARS = 4 * 2 ** 20;

export function collectGarbage(): void {
  fullCollector()?.();
}

const ADDED: TextBlock = { kind: 'paragraph', level: 0, text: '' };

/**
 * `source.text` is emptied once it is parsed: a book's decoded text (twice its size in memory
 * when it has any character past Latin-1) can then be freed while the Document's own text is
 * joined (issue 18), rather than every copy living until the end.
 */
function normalizedToDocument(source: { text: string }, kind: 'txt' | 'md', onProgress?: TextProgress, large = false): Document {
  const { blocks, gutenberg, title } = parseBlocks(source, kind, onProgress);
  // The decoded text is dead now (blocks, title and author are copies): free it.
  if (large) collectGarbage();
  const builder = new DocumentBuilder();
  const count = blocks.length;
  for (let i = 0; i < count; i++) {
    builder.add({ kind: blocks[i].kind, level: blocks[i].level, page: null, text: blocks[i].text });
    // Each parsed block goes once it is copied: the text is not held twice over.
    blocks[i] = ADDED;
    if (i > 0 && i % PROGRESS_EVERY === 0) onProgress?.(i, count, 'blocks');
  }
  // The parsed blocks are dead now: free them before the text is joined.
  if (large) collectGarbage();
  const doc = builder.build({ kind, title, author: gutenberg.author, pages: null, notes: gutenberg.removed });
  if (large) collectGarbage();
  return doc;
}

function parseBlocks(source: { text: string }, kind: 'txt' | 'md', onProgress?: TextProgress): { blocks: TextBlock[]; gutenberg: GutenbergParts; title: string } {
  const gutenberg = cutGutenberg(source.text);
  source.text = '';
  const body = unboxText(gutenberg.body);
  gutenberg.body = '';
  // Plain text's blocks are copies already (plain-text.ts); Markdown's may be slices of the body.
  const parsed = kind === 'md' ? parseMarkdown(body).map((b) => ({ ...b, text: detach(b.text) })) : parsePlainText(body, (done, total) => onProgress?.(done, total, 'paragraphs parsed'));
  const blocks = settleChapterHeadings(parsed);
  // Copies: a title sliced from the decoded text would keep all of it alive.
  return { blocks, gutenberg, title: detach(chooseTitle(blocks, gutenberg.title, body, kind)) };
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
    // A copy, not a slice of the whole text (which it would keep alive).
    return m ? detach(m[1].replace(/\s+/g, ' ').trim()) : null;
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
