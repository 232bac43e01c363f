// The one way in: bytes → Document. Detects the format by content, dispatches to its
// ingester, and guarantees that bad input only ever surfaces as InputRejected (or Cancelled).
// The PDF, DOCX and EPUB ingesters load on first use: pdf.js and mammoth take about a third of a
// second to load on a 2-core machine, which every engine start paid even for a text file.
import type { Document } from '../document.js';
import { Cancelled, cancelledBy, InputRejected, parserReason, rejections, throwIfAborted } from '../errors.js';
import { detectFormat, isCompoundFile, type DetectedFormat } from './detect.js';
import { isZip } from './zip-entries.js';
import type { PageSkips, StageReport } from './stages.js';
import { ingestText } from './text.js';
import { unreadablePages, unreadablePagesNote } from './unreadable-pages.js';

export { detectFormat, type DetectedFormat } from './detect.js';

export interface IngestOptions {
  fileName?: string;
  password?: string;
  /** Pages for PDF, chapters for EPUB; for text, each stage in its own unit. */
  onProgress?: (done: number, total: number, unit?: string) => void;
  signal?: AbortSignal;
  maxBytes?: number;
  /** Each stage as it starts (ingest/bounded.ts watches them from another thread). */
  onStage?: (stage: StageReport) => void;
  /** PDF pages an earlier attempt gave up on. */
  skip?: PageSkips;
}

export const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;

/**
 * Plain text past this is refused ('too-large'). Plain text is streamed into the library
 * (text-stream.ts), so memory no longer grows with the file; what grows is the disk and the time
 * to read it. Chosen 2026-12-05 from `npm run bench -- huge` (docs/BENCHMARKS.md): the document
 * takes about 12 bytes a token on disk before the model reads it (256 MiB: about 68M tokens,
 * some 0.8 GB), and lectern-mamba2-7m-v6 reads it in hours on a CPU.
 */
export const MAX_TEXT_BYTES = 256 * 1024 * 1024;

/**
 * Markdown is parsed whole (its blocks depend on lines far apart: fences, setext underlines,
 * tables), peaking at about 9 times the file in memory, so its limit stays where the whole-text
 * design put it (2026-12-05): 64 MiB, about 0.63 GB at the limit.
 */
export const MAX_MARKDOWN_BYTES = 64 * 1024 * 1024;

/** Whether a file's head says it is plain text (what the library streams), by the same detection as ingest. */
export function isPlainText(head: Uint8Array, fileName?: string): boolean {
  if (isZip(head) || isCompoundFile(head)) return false;
  try {
    return detectFormat(head, fileName) === 'txt';
  } catch {
    // Refused by the whole-file path, with its own reason.
    return false;
  }
}

/** Refuses plain text past MAX_TEXT_BYTES before it is read. */
export function checkTextSize(bytes: number): void {
  if (bytes > MAX_TEXT_BYTES) {
    throw rejections.tooLarge(`${formatSize(bytes)} of text is over the ${formatSize(MAX_TEXT_BYTES)} limit for plain text`);
  }
}

export async function ingest(bytes: Uint8Array, options: IngestOptions = {}): Promise<Document> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (bytes.length > maxBytes) {
    throw rejections.tooLarge(`${formatSize(bytes.length)} is over the ${formatSize(maxBytes)} limit`);
  }
  throwIfAborted(options.signal);
  let doc: Document;
  let format: DetectedFormat | null = null;
  try {
    format = detectFormat(bytes, options.fileName);
    options.onStage?.({ stage: 'open', page: null, pages: null });
    switch (format) {
      case 'pdf':
        doc = await (await import('./pdf.js')).ingestPdf(bytes, {
          password: options.password,
          onProgress: options.onProgress,
          signal: options.signal,
          onStage: options.onStage,
          skip: options.skip,
        });
        break;
      case 'docx':
        options.onProgress?.(0, 1);
        doc = await (await import('./docx.js')).ingestDocx(bytes);
        options.onProgress?.(1, 1);
        break;
      case 'epub':
        doc = await (await import('./epub.js')).ingestEpub(bytes, { onProgress: options.onProgress, signal: options.signal });
        break;
      case 'txt':
        checkTextSize(bytes.length);
        doc = await ingestText(bytes, format, options.onProgress);
        break;
      case 'md':
        if (bytes.length > MAX_MARKDOWN_BYTES) {
          throw rejections.tooLarge(`${formatSize(bytes.length)} of Markdown is over the ${formatSize(MAX_MARKDOWN_BYTES)} limit for Markdown`);
        }
        doc = await ingestText(bytes, format, options.onProgress);
        break;
    }
  } catch (error) {
    throw asRejection(error, options.signal, format);
  }
  throwIfAborted(options.signal);
  if (doc.text.trim().length === 0) throw rejections.empty();
  if (!doc.title.trim()) doc.title = titleFromFileName(options.fileName);
  const unreadable = doc.pages === null ? [] : unreadablePages(doc);
  if (unreadable.length > 0) doc.notes.push(unreadablePagesNote(unreadable));
  return doc;
}

/** Parsers (jszip, mammoth, XML, pdf.js) throw their own errors on malformed input. */
function asRejection(error: unknown, signal: AbortSignal | undefined, format: DetectedFormat | null): Error {
  if (error instanceof InputRejected || error instanceof Cancelled) return error;
  if (signal?.aborted) return cancelledBy(signal);
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof RangeError && /string length|array buffer allocation|out of memory/i.test(message)) {
    return rejections.tooLarge('the text does not fit in memory');
  }
  return rejections.corrupt(shortReason(message, format));
}

/** A reason a reader can act on, rather than a parser's internals. */
function shortReason(message: string, format: DetectedFormat | null): string {
  const inside = format ? ` in the ${format.toUpperCase()} file` : '';
  if (format === 'docx' || format === 'epub') {
    if (/zip|central directory|end of data|signature|compressed|inflat/i.test(message)) return 'damaged ZIP archive';
    if (/xml|element|attribute|unclosed tag|entity/i.test(message)) return `malformed XML${inside}`;
  }
  return parserReason(message, `unreadable${inside}`);
}

export function titleFromFileName(fileName: string | undefined): string {
  if (!fileName) return 'Untitled';
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const dot = base.lastIndexOf('.');
  return (dot > 0 ? base.slice(0, dot) : base).trim() || 'Untitled';
}

function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round(bytes / (1024 * 1024))} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}
