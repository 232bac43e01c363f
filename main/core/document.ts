// The Document: what every ingester produces and everything downstream reads.
// `text` is the document's full text; every block points into it by character offsets
// (UTF-16 code units, as JavaScript strings index), so a citation can be mapped back to a
// page and highlighted exactly.

import type { IngestNote } from './document-notes.js';

export type DocumentKind = 'pdf' | 'docx' | 'txt' | 'md' | 'epub';

export type BlockKind = 'heading' | 'paragraph' | 'list' | 'table';

export interface Block {
  kind: BlockKind;
  /** Heading level 1–6; 0 for anything that is not a heading. */
  level: number;
  /** 1-based physical page; null where the format has no pages (DOCX, text, EPUB). */
  page: number | null;
  text: string;
  /** Offsets into Document.text: text === document.text.slice(start, end). */
  start: number;
  end: number;
}

/** A page that begins inside a block (a paragraph running on across a page break). */
export interface PageBreak {
  /** Offset into Document.text of the page's first character. */
  start: number;
  page: number;
}

export interface Document {
  kind: DocumentKind;
  title: string;
  author: string | null;
  /** Page count for paged formats (PDF); null otherwise. */
  pages: number | null;
  text: string;
  blocks: Block[];
  /**
   * Pages that begin inside a block, in text order; a block's own `page` is where it starts.
   * Absent for formats without pages and for documents stored before breaks were kept.
   */
  pageBreaks?: PageBreak[];
  /** What ingestion removed or could not read (document-notes.ts); empty when nothing. */
  notes: IngestNote[];
}

export interface BlockInput {
  kind: BlockKind;
  level?: number;
  page?: number | null;
  text: string;
  /** Later pages beginning inside this block: offsets into `text` as given (before trimming). */
  pageBreaks?: ReadonlyArray<{ at: number; page: number }>;
}

/** Blocks are separated by a blank line in the full text. */
export const BLOCK_SEPARATOR = '\n\n';

/**
 * Builds a Document from blocks in reading order, computing offsets once so that no
 * ingester has to. Empty blocks are dropped; text is trimmed and inner whitespace runs
 * other than newlines inside tables/lists are left to the ingester.
 *
 * Memory (issue 18): the text is gathered in flat chunks of about CHUNK_CHARS, and each block's
 * text is a slice of the joined text, so a built Document holds its text once. A block's tidied
 * text may be a slice of the ingester's own string (a whole decoded file); copied into a chunk,
 * it no longer keeps that string alive, which the collector can then free before the join.
 */
export class DocumentBuilder {
  private readonly chunks: string[] = [];
  private parts: string[] = [];
  private partsLength = 0;
  private readonly blocks: Omit<Block, 'text'>[] = [];
  private readonly pageBreaks: PageBreak[] = [];
  private length = 0;

  add(input: BlockInput): void {
    const text = tidy(input.text);
    if (text.length === 0) return;
    if (this.blocks.length > 0) this.push(BLOCK_SEPARATOR);
    const start = this.length;
    this.push(text);
    for (const b of input.pageBreaks ?? []) {
      // The break's offset in the tidied text: the tidied length of what precedes it.
      const at = Math.min(text.length, tidy(input.text.slice(0, b.at), false).length);
      if (at > 0 && at < text.length) this.pageBreaks.push({ start: start + at, page: b.page });
    }
    this.blocks.push({
      kind: input.kind,
      level: input.kind === 'heading' ? Math.min(6, Math.max(1, input.level ?? 1)) : 0,
      page: input.page ?? null,
      start,
      end: this.length,
    });
  }

  get blockCount(): number {
    return this.blocks.length;
  }

  build(meta: { kind: DocumentKind; title: string; author?: string | null; pages?: number | null; notes?: IngestNote[] }): Document {
    this.flush();
    const text = this.chunks.length === 1 ? this.chunks[0] : this.chunks.join('');
    this.chunks.length = 0;
    return {
      kind: meta.kind,
      title: meta.title,
      author: meta.author ?? null,
      pages: meta.pages ?? null,
      text,
      blocks: this.blocks.map((b) => ({ ...b, text: text.slice(b.start, b.end) })),
      ...(this.pageBreaks.length > 0 ? { pageBreaks: this.pageBreaks } : {}),
      notes: meta.notes ?? [],
    };
  }

  private push(part: string): void {
    this.parts.push(part);
    this.length += part.length;
    this.partsLength += part.length;
    if (this.partsLength >= CHUNK_CHARS) this.flush();
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    this.chunks.push(this.parts.join(''));
    this.parts = [];
    this.partsLength = 0;
  }
}

/** A MiB or two: large enough that joining the chunks is quick, small next to a long book. */
const CHUNK_CHARS = 2 ** 20;

/** A block's text as stored: runs of spaces collapsed, trimmed (the end only when `whole`). */
export function tidy(text: string, whole = true): string {
  const collapsed = text.replace(/[ \t\u00a0]+/g, ' ').trimStart();
  return whole ? collapsed.trimEnd() : collapsed;
}
