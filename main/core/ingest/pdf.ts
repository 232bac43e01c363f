// PDF ingestion: pdf.js (legacy build, text only, no rendering) page by page, then layout,
// furniture removal, paragraphs and headings. Only the current page's text items are held;
// what is kept across pages is the compact positioned text of each page.
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { getDocument, OPS, PasswordResponses } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { DocumentBuilder, type Document } from '../document.js';
import { InputRejected, parserReason, rejections, throwIfAborted } from '../errors.js';
import { removeFurniture } from './pdf-furniture.js';
import { applyOutline, markSizeHeadings, type OutlineEntry } from './pdf-headings.js';
import { orderPage, type Line } from './pdf-layout.js';
import { readOutline, type OutlineSource, type OutlineTarget } from './pdf-outline.js';
import { buildParagraphs } from './pdf-paragraphs.js';
import { pageText, toFrame, type PageText, type PdfTextItem } from './pdf-runs.js';
import type { PageSkips, StageReport } from './stages.js';

export interface PdfOptions {
  password?: string;
  onProgress?: (pagesDone: number, pagesTotal: number) => void;
  signal?: AbortSignal;
  /** Called as each stage starts, so a watchdog outside can tell which page did not finish. */
  onStage?: (stage: StageReport) => void;
  /** Pages a previous attempt gave up on (the watchdog's restart): left out, not parsed again. */
  skip?: PageSkips;
}

const pdfjsRoot = join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/legacy/build/pdf.mjs')), '..', '..');
const asset = (folder: string) => join(pdfjsRoot, folder) + '/';

// Images are never decoded for text; only the scanned-or-empty probe looks at them, and an image
// larger than this (a decompression bomb) is skipped rather than decoded.
const MAX_IMAGE_PIXELS = 64 * 1024 * 1024;
const MAX_PAGES = 100_000;
const GIVE_UP_AFTER_FAILED_PAGES = 50; // consecutive failures with nothing read yet
const IMAGE_PROBE_PAGES = 5;
// pdf.js keeps every page it has opened (and its fonts) until told otherwise; releasing them
// every so many pages holds memory flat on long books at a negligible cost in re-parsed fonts.
const RELEASE_EVERY_PAGES = 100;

/** One line of text for a user, from whatever pdf.js threw. */
function openError(error: unknown, password: string | undefined): InputRejected {
  const e = error as { name?: string; code?: number } | null;
  if (e?.name === 'PasswordException') {
    return e.code === PasswordResponses.INCORRECT_PASSWORD || password ? rejections.wrongPassword() : rejections.encrypted();
  }
  return rejections.corrupt(parserReason(error instanceof Error ? error.message : String(error), 'unreadable file'));
}

function textItems(items: readonly object[]): PdfTextItem[] {
  const out: PdfTextItem[] = [];
  for (const item of items) if ('str' in item && 'transform' in item) out.push(item as PdfTextItem);
  return out;
}

function cleanTitle(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const title = raw
    .replace(/\s+/g, ' ')
    .replace(/^Microsoft (?:Word|PowerPoint|Excel) - /i, '')
    .replace(/\.(?:docx?|pptx?|xlsx?|rtf|odt|tex|dvi|indd|qxd|pdf)$/i, '')
    .trim();
  if (title.length === 0 || /^(?:untitled|document|presentation|book)\s*\d*$/i.test(title)) return null;
  return title;
}

function cleanAuthor(raw: unknown): string | null {
  const value = Array.isArray(raw) ? raw.filter((v) => typeof v === 'string').join(', ') : raw;
  if (typeof value !== 'string') return null;
  const author = value.replace(/\s+/g, ' ').trim();
  // Some producers write a Perl reference instead of the name ("ARRAY(0x2c7cf020)").
  return author.length > 0 && !/^(?:ARRAY|HASH|SCALAR)\(0x[0-9a-f]+\)$/i.test(author) ? author : null;
}

interface Metadata {
  title: string | null;
  author: string | null;
}

async function readMetadata(doc: PDFDocumentProxy): Promise<Metadata> {
  try {
    const { info, metadata } = await doc.getMetadata();
    const fields = info as Record<string, unknown>;
    return {
      title: cleanTitle(fields.Title) ?? cleanTitle(metadata?.get('dc:title')),
      author: cleanAuthor(fields.Author) ?? cleanAuthor(metadata?.get('dc:creator')),
    };
  } catch {
    return { title: null, author: null };
  }
}

const IMAGE_OPS = new Set<number>([
  OPS.paintImageXObject,
  OPS.paintInlineImageXObject,
  OPS.paintImageMaskXObject,
  OPS.paintImageXObjectRepeat,
  OPS.paintImageMaskXObjectRepeat,
  OPS.paintInlineImageXObjectGroup,
  OPS.paintImageMaskXObjectGroup,
]);

/** Whether the first pages draw images: tells a scanned document from an empty one. */
async function drawsImages(doc: PDFDocumentProxy, options: PdfOptions): Promise<boolean> {
  for (let n = 1; n <= Math.min(doc.numPages, IMAGE_PROBE_PAGES); n++) {
    throwIfAborted(options.signal);
    if (options.skip?.drawing.includes(n)) continue;
    options.onStage?.({ stage: 'drawing', page: n, pages: doc.numPages });
    try {
      const page = await doc.getPage(n);
      try {
        const ops = await page.getOperatorList();
        if (ops.fnArray.some((fn) => IMAGE_OPS.has(fn))) return true;
      } finally {
        page.cleanup();
      }
    } catch {
      // A page that cannot be drawn says nothing either way.
    }
  }
  return false;
}

interface PagesRead {
  pages: PageText[];
  chars: number;
  outline: OutlineEntry[];
}

function countChars(page: PageText): number {
  let n = 0;
  for (const f of page.fragments) n += f.text.length;
  for (const aside of page.asides) for (const f of aside) n += f.text.length;
  return n;
}

async function readPages(doc: PDFDocumentProxy, targets: OutlineTarget[], options: PdfOptions): Promise<PagesRead> {
  const { signal, onProgress } = options;
  const total = doc.numPages;
  const pages: PageText[] = [];
  const outline: OutlineEntry[] = [];
  let chars = 0;
  let read = 0;
  let failedInARow = 0;
  for (let n = 1; n <= total; n++) {
    throwIfAborted(signal);
    if (options.skip?.text.includes(n)) {
      onProgress?.(n, total);
      continue;
    }
    options.onStage?.({ stage: 'text', page: n, pages: total });
    try {
      const page = await doc.getPage(n);
      try {
        const viewport = page.getViewport({ scale: 1 });
        const content = await page.getTextContent();
        const text = pageText(
          n,
          textItems(content.items),
          (font) => content.styles[font]?.vertical === true,
          viewport,
        );
        for (const target of targets) {
          if (target.page !== n) continue;
          let y: number | null = null;
          if (target.top !== null) {
            const [vx, vy] = viewport.convertToViewportPoint(target.left ?? 0, target.top) as [number, number];
            y = toFrame(text.turns, vx, vy)[1];
          }
          outline.push({ title: target.title, level: target.level, page: n, y });
        }
        const pageChars = countChars(text);
        if (pageChars > 0) pages.push(text);
        chars += pageChars;
        read += 1;
        failedInARow = 0;
      } finally {
        page.cleanup();
      }
      if (n % RELEASE_EVERY_PAGES === 0) await doc.cleanup();
    } catch {
      // One bad page must not cost the whole book.
      failedInARow += 1;
      if (read === 0 && failedInARow >= GIVE_UP_AFTER_FAILED_PAGES) break;
    }
    onProgress?.(n, total);
  }
  if (read === 0 && (options.skip?.text.length ?? 0) > 0) throw rejections.timeout('no page gave its text in time');
  if (read === 0) throw rejections.corrupt('no page could be read');
  return { pages, chars, outline };
}

function assemble(read: PagesRead, meta: Metadata, pageCount: number): Document {
  removeFurniture(read.pages);
  let block = 0;
  const nextBlock = () => block++;
  const lines: Line[] = [];
  for (let i = 0; i < read.pages.length; i++) {
    lines.push(...orderPage(read.pages[i], nextBlock));
    // Positioned text is no longer needed once the page is in reading order.
    read.pages[i] = { ...read.pages[i], fragments: [], asides: [] };
  }
  let paragraphs = buildParagraphs(lines);
  if (read.outline.length > 0) {
    paragraphs = applyOutline(paragraphs, read.outline);
    // Outlines rarely list the printed title and author block that precede their first entry.
    const firstEntry = paragraphs.findIndex((p) => p.kind === 'heading');
    markSizeHeadings(paragraphs, firstEntry < 0 ? paragraphs.length : firstEntry);
  } else {
    markSizeHeadings(paragraphs);
  }
  const builder = new DocumentBuilder();
  for (const p of paragraphs) builder.add({ kind: p.kind, level: p.level, page: p.page, text: p.text, pageBreaks: p.pageBreaks });
  if (builder.blockCount === 0) throw rejections.empty();
  const firstHeading = paragraphs.find((p) => p.kind === 'heading')?.text ?? null;
  return builder.build({
    kind: 'pdf',
    title: meta.title ?? firstHeading ?? '',
    author: meta.author,
    pages: pageCount,
  });
}

/** Reads a PDF into a Document; throws InputRejected for files that cannot be read. */
export async function ingestPdf(bytes: Uint8Array, options: PdfOptions = {}): Promise<Document> {
  throwIfAborted(options.signal);
  if (bytes.length === 0) throw rejections.empty();
  const task = getDocument({
    // pdf.js transfers (detaches) the buffer it is given; the caller keeps its own.
    data: bytes.slice(),
    password: options.password,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
    stopAtErrors: false,
    maxImageSize: MAX_IMAGE_PIXELS,
    enableXfa: false,
    standardFontDataUrl: asset('standard_fonts'),
    cMapUrl: asset('cmaps'),
    cMapPacked: true,
    wasmUrl: asset('wasm'),
  });
  let doc: PDFDocumentProxy;
  try {
    doc = await task.promise;
  } catch (error) {
    await task.destroy().catch(() => undefined);
    throw openError(error, options.password);
  }
  try {
    throwIfAborted(options.signal);
    if (doc.numPages > MAX_PAGES) throw rejections.corrupt(`implausible page count (${doc.numPages})`);
    const meta = await readMetadata(doc);
    const targets = await readOutline(doc as unknown as OutlineSource);
    const read = await readPages(doc, targets, options);
    if (read.chars === 0) {
      throw (await drawsImages(doc, options)) ? rejections.scanned() : rejections.empty();
    }
    options.onStage?.({ stage: 'assemble', page: null, pages: doc.numPages });
    return assemble(read, meta, doc.numPages);
  } finally {
    await task.destroy().catch(() => undefined);
  }
}
