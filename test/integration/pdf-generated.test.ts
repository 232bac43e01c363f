// PDF ingestion on documents written by test/support/make-pdf.ts: known text, known furniture,
// known columns, so every paragraph can be compared with what was written.
import { describe, expect, it } from 'vitest';
import type { Document } from '../../main/core/document.js';
import { Cancelled } from '../../main/core/errors.js';
import { ingestPdf } from '../../main/core/ingest/pdf.js';
import { expectConsistentOffsets, rejectionOf } from '../support/ingest-checks.js';
import { makePdf, type PdfSpec } from '../support/make-pdf.js';

/** Ingests a generated PDF and expects exactly the paragraphs that were written, on their pages. */
async function expectWrittenParagraphs(spec: PdfSpec): Promise<Document> {
  const made = makePdf(spec);
  const doc = await ingestPdf(made.bytes);
  expect(doc.pages).toBe(spec.pages);
  expect(doc.blocks.map((b) => [b.page, b.text])).toEqual(made.paragraphs.map((p) => [p.page, p.text]));
  expectConsistentOffsets(doc);
  return doc;
}

describe('PDF furniture on generated documents', () => {
  it('removes a running header, a running footer with the page number, and bare page numbers', async () => {
    const doc = await expectWrittenParagraphs({
      pages: 12,
      header: 'The Running Header of This Book',
      footer: 'Chapter Seven, page {page}',
      pageNumbers: true,
    });
    expect(doc.text).not.toContain('Running Header');
    expect(doc.text).not.toContain('Chapter Seven');
    expect(doc.blocks.some((b) => /^\d+$/.test(b.text))).toBe(false);
  });

  it('keeps everything when there is no furniture', async () => {
    await expectWrittenParagraphs({ pages: 3 });
  });
});

describe('PDF columns and line joins on generated documents', () => {
  it('reads two columns in order and rejoins words hyphenated at line ends', async () => {
    const made = makePdf({ pages: 4, columns: 2, hyphenate: true });
    // The writer did split words, so the test exercises the rejoin.
    expect(made.paragraphs.length).toBeGreaterThan(10);
    const doc = await expectWrittenParagraphs({ pages: 4, columns: 2, hyphenate: true });
    expect(doc.text).not.toMatch(/\p{L}- \p{L}/u);
  });

  it('handles two columns with furniture, paragraphs running across columns and pages', async () => {
    await expectWrittenParagraphs({
      pages: 6,
      columns: 2,
      hyphenate: true,
      header: 'Proceedings of Something 2024',
      pageNumbers: true,
      seed: 7,
    });
  });
});

describe('PDF metadata, progress and cancellation', () => {
  it('takes title and author from the document information', async () => {
    const doc = await ingestPdf(makePdf({ pages: 1, title: 'A Generated Book', author: 'Ada Writer' }).bytes);
    expect(doc.kind).toBe('pdf');
    expect(doc.title).toBe('A Generated Book');
    expect(doc.author).toBe('Ada Writer');
  });

  it('leaves the caller’s bytes intact (pdf.js gets a copy)', async () => {
    const { bytes } = makePdf({ pages: 1 });
    const before = bytes.byteLength;
    await ingestPdf(bytes);
    expect(bytes.byteLength).toBe(before);
    await ingestPdf(bytes);
  });

  it('reports progress after every page', async () => {
    const calls: Array<[number, number]> = [];
    await ingestPdf(makePdf({ pages: 5 }).bytes, { onProgress: (done, total) => calls.push([done, total]) });
    expect(calls).toEqual([
      [1, 5],
      [2, 5],
      [3, 5],
      [4, 5],
      [5, 5],
    ]);
  });

  it('stops when the signal aborts, with Cancelled or the abort reason', async () => {
    const { bytes } = makePdf({ pages: 8 });
    const controller = new AbortController();
    const seen: number[] = [];
    const run = ingestPdf(bytes, {
      signal: controller.signal,
      onProgress: (done) => {
        seen.push(done);
        if (done === 2) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(Cancelled);
    expect(seen).toEqual([1, 2]);

    const already = new AbortController();
    const reason = new Cancelled('user closed the window');
    already.abort(reason);
    await expect(ingestPdf(bytes, { signal: already.signal })).rejects.toBe(reason);
  });
});

describe('PDF encryption (RC4, standard security handler)', () => {
  const secret = makePdf({ pages: 2, userPassword: 'secret', ownerPassword: 'boss' });

  it('asks for a password, rejects a wrong one and opens with the right one', async () => {
    const none = await rejectionOf(ingestPdf(secret.bytes));
    expect(none.reason).toBe('encrypted');
    expect(none.message).toBe('encrypted: password required');
    const wrong = await rejectionOf(ingestPdf(secret.bytes, { password: 'guess' }));
    expect(wrong.reason).toBe('wrong-password');
    const doc = await ingestPdf(secret.bytes, { password: 'secret' });
    expect(doc.blocks.map((b) => b.text)).toEqual(secret.paragraphs.map((p) => p.text));
  });

  it('opens a file protected only by an owner password (no printing, no copying) without asking', async () => {
    const protectedOnly = makePdf({ pages: 2, ownerPassword: 'boss', title: 'Owner Only' });
    const doc = await ingestPdf(protectedOnly.bytes);
    expect(doc.title).toBe('Owner Only');
    expect(doc.blocks.map((b) => b.text)).toEqual(protectedOnly.paragraphs.map((p) => p.text));
  });
});

describe('PDF damage', () => {
  it('skips a page whose content is missing and keeps the rest', async () => {
    const made = makePdf({ pages: 5, missingContents: [3] });
    const doc = await ingestPdf(made.bytes);
    expect(doc.pages).toBe(5);
    const pages = new Set(doc.blocks.map((b) => b.page));
    expect(pages.has(3)).toBe(false);
    for (const p of [1, 2, 4, 5]) expect(pages.has(p)).toBe(true);
  });

  it('skips a page that pdf.js cannot open and keeps the pages before it', async () => {
    const made = makePdf({ pages: 5, brokenPages: [3] });
    const doc = await ingestPdf(made.bytes);
    const pages = new Set(doc.blocks.map((b) => b.page));
    expect(pages.has(1) && pages.has(2)).toBe(true);
    expect(pages.has(3)).toBe(false);
  });

  it('rejects truncated files, non-PDF bytes and empty input with a one-line reason', async () => {
    const { bytes } = makePdf({ pages: 4 });
    const truncated = await rejectionOf(ingestPdf(bytes.slice(0, Math.floor(bytes.length / 2))));
    expect(truncated.reason).toBe('corrupt');
    expect(truncated.message).toMatch(/^corrupt: [^\n]+$/);
    const garbage = await rejectionOf(ingestPdf(new TextEncoder().encode('this is not a PDF file at all')));
    expect(garbage.reason).toBe('corrupt');
    expect((await rejectionOf(ingestPdf(new Uint8Array(0)))).reason).toBe('empty');
  });
});
