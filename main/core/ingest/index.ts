// The one way in: bytes → Document. Detects the format by content, dispatches to its
// ingester, and guarantees that bad input only ever surfaces as InputRejected (or Cancelled).
// The PDF, DOCX and EPUB ingesters load on first use: pdf.js and mammoth take about a third of a
// second to load on a 2-core machine, which every engine start paid even for a text file.
import type { Document } from '../document.js';
import { Cancelled, cancelledBy, InputRejected, parserReason, rejections, throwIfAborted } from '../errors.js';
import { detectFormat, type DetectedFormat } from './detect.js';
import { ingestText } from './text.js';

export { detectFormat, type DetectedFormat } from './detect.js';

export interface IngestOptions {
  fileName?: string;
  password?: string;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  maxBytes?: number;
}

export const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;

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
    switch (format) {
      case 'pdf':
        doc = await (await import('./pdf.js')).ingestPdf(bytes, { password: options.password, onProgress: options.onProgress, signal: options.signal });
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
      case 'md':
        options.onProgress?.(0, 1);
        doc = await ingestText(bytes, format);
        options.onProgress?.(1, 1);
        break;
    }
  } catch (error) {
    throw asRejection(error, options.signal, format);
  }
  throwIfAborted(options.signal);
  if (doc.text.trim().length === 0) throw rejections.empty();
  if (!doc.title.trim()) doc.title = titleFromFileName(options.fileName);
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
