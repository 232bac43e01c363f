// Plain text and Markdown: decoded once (encoding guessed from a sample), line endings and
// Unicode normalised, a Project Gutenberg header and licence cut away (its Title and Author
// kept), then parsed into blocks.
import { DocumentBuilder, type Block, type Document } from '../document.js';
import { fullCollector } from '../model/output-garbage.js';
import { settleChapterHeadings, type TextBlock } from './chapter-lines.js';
import { detectEncoding } from './encoding.js';
import { cutGutenberg, type GutenbergCut } from './gutenberg.js';
import { parseMarkdown } from './markdown.js';
import { unboxText } from './text-boxes.js';
import { detach } from '../text/detach.js';
import { normalizeText } from './text-decode.js';
import { bytesSource, decodeNormalized, type ByteSource } from './text-source.js';
import { streamPlainText, type StreamOptions } from './text-stream.js';
import { TitleFinder } from './text-title.js';

// Here since text-decode.ts needs it too (and text.ts needs text-decode.ts): no import cycle.
export { normalizeText } from './text-decode.js';

/** Progress of a stage of a text's ingestion, in the stage's own unit ("KiB decoded", "blocks"). */
export type TextProgress = (done: number, total: number, unit: string) => void;

/**
 * Plain text is streamed (text-stream.ts) into a Document here; adding a file to the library
 * streams it into the store instead (library.ts), never holding it whole. Markdown is parsed whole.
 */
export async function ingestText(bytes: Uint8Array, kind: 'txt' | 'md', onProgress?: TextProgress): Promise<Document> {
  if (kind === 'txt') return streamedDocument(bytesSource(bytes), { onProgress });
  const kib = (n: number): number => Math.round(n / 1024);
  const source = { text: decodeNormalized(bytes, detectEncoding(bytes), (done, total) => onProgress?.(kib(done), kib(total), 'KiB decoded')) };
  const large = source.text.length >= LARGE_CHARS;
  if (large) collectGarbage();
  return markdownToDocument(source, onProgress, large);
}

export function textToDocument(raw: string, kind: 'txt' | 'md'): Document {
  if (kind === 'txt') return streamedDocument(bytesSource(Buffer.from(normalizeText(raw), 'utf8')));
  return markdownToDocument({ text: normalizeText(raw) });
}

/** Plain text streamed into a Document in memory. */
export function streamedDocument(source: ByteSource, options: StreamOptions = {}): Document {
  const parts: string[] = [];
  const blocks: Block[] = [];
  const streamed = streamPlainText(
    source,
    {
      text: (piece) => parts.push(piece),
      block: (b, text) => blocks.push({ ...b, text }) - 1,
      passage: () => {},
      setLevel: (ordinal, level) => {
        blocks[ordinal].level = level;
      },
    },
    options,
  );
  return { kind: 'txt', title: detach(streamed.title), author: streamed.author, pages: null, text: parts.join(''), blocks, notes: streamed.notes };
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
function markdownToDocument(source: { text: string }, onProgress?: TextProgress, large = false): Document {
  const { blocks, gutenberg, title } = parseMarkdownBlocks(source);
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
  const doc = builder.build({ kind: 'md', title, author: gutenberg.author, pages: null, notes: gutenberg.removed });
  if (large) collectGarbage();
  return doc;
}

function parseMarkdownBlocks(source: { text: string }): { blocks: TextBlock[]; gutenberg: GutenbergCut; title: string } {
  const gutenberg = cutGutenberg(source.text);
  source.text = '';
  const body = unboxText(gutenberg.body);
  gutenberg.body = '';
  // Markdown's blocks may be slices of the body: copies, so that the body can go.
  const blocks = settleChapterHeadings(parseMarkdown(body).map((b) => ({ ...b, text: detach(b.text) })));
  // Copies: a title sliced from the decoded text would keep all of it alive.
  return { blocks, gutenberg, title: detach(chooseTitle(blocks, gutenberg.title, body)) };
}

/** The first level-1 heading of the Markdown, the Gutenberg title, or the first short line. */
function chooseTitle(blocks: TextBlock[], gutenbergTitle: string | null, body: string): string {
  const markdownTitle = blocks.find((b) => b.kind === 'heading' && b.level === 1 && b.chapterRank === undefined);
  if (markdownTitle) return markdownTitle.text;
  if (gutenbergTitle) return gutenbergTitle;
  const finder = new TitleFinder('md');
  for (const line of body.slice(0, 64 * 1024).split('\n')) finder.line(line);
  return finder.found();
}
