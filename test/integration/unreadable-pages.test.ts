// Pages whose text layer is not language (issue 18, item 7). TAMReview.pdf's pages 2–22 extract
// as glyph soup ("% & ' %", "(-.45)"); its first page and its last (the publisher's board) read
// normally. Until 2026-12-05 the soup was indexed and searched like any text, without a word.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestNote } from '../../main/core/document-notes.js';
import type { Document } from '../../main/core/document.js';
import { Library } from '../../main/core/library.js';
import { fixture } from '../support/fixtures.js';
import { ingestFixture } from '../support/ingest-fixture.js';

const SOUP = Array.from({ length: 21 }, (_, i) => i + 2);
const unreadable = (doc: Document) => doc.notes.filter((n): n is Extract<IngestNote, { code: 'unreadable-pages' }> => n.code === 'unreadable-pages');

describe('TAMReview.pdf: a text layer that is glyph soup', () => {
  let doc: Document;
  beforeAll(async () => {
    doc = await ingestFixture('papers/TAMReview.pdf');
  });

  it('flags pages 2–22, and not the readable first and last pages', () => {
    const notes = unreadable(doc);
    expect(notes).toHaveLength(1);
    expect(notes[0].pages).toEqual(SOUP);
    expect(notes[0].message).toBe('21 pages (2–22): the text layer reads as symbols, not words; left out of search and answers');
  });

  it('keeps the text of the flagged pages: nothing is dropped', () => {
    expect(doc.blocks.filter((b) => b.page !== null && SOUP.includes(b.page)).length).toBeGreaterThan(50);
    expect(doc.text).toContain('(-.45)');
  });
});

// The near misses: LaTeX and TikZ code (lshort-zh-cn.pdf), figure axes, tables of contents.
describe.each([
  'papers/tracemonkey.pdf',
  'papers/resnet.pdf',
  'papers/attention_is_all_you_need.pdf',
  'papers/scaling_laws.pdf',
  'papers/deep_speech_2.pdf',
  'zh/lshort-zh-cn.pdf',
  'tricky/pdkids.pdf',
])('%s: a clean document', (rel) => {
  it('gets no flag', async () => {
    const doc = await ingestFixture(rel);
    expect(doc.notes).toEqual([]);
  });
});

describe('the flag is a property of passages that search filters on', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lectern-unreadable-'));
  let lib: Library;
  let id: number;
  beforeAll(async () => {
    lib = Library.open(join(dir, 'library.sqlite'));
    id = (await lib.add(fixture('papers/TAMReview.pdf'))).row.id;
  });
  afterAll(() => {
    lib.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores the note and marks the passages of the soup pages', () => {
    expect(lib.documents()[0].notes.map((n) => n.code)).toEqual(['unreadable-pages']);
    const rows = lib.db.prepare('SELECT page, unreadable FROM passages WHERE document_id = ?').all(id) as Array<{ page: number; unreadable: number }>;
    const flagged = rows.filter((r) => r.unreadable === 1);
    expect(flagged.length).toBeGreaterThan(0);
    expect(flagged.every((r) => SOUP.includes(r.page))).toBe(true);
    expect(rows.filter((r) => r.page === 1 || r.page === 23).every((r) => r.unreadable === 0)).toBe(true);
  });

  it('finds nothing on the flagged pages, even for words printed there', () => {
    // Each of these matches text of the soup pages (figure labels, glued references).
    for (const query of ['Perceived Usefulness', 'Attitude Toward Using', 'Decision Support Systems', 'Abstract']) {
      const hits = lib.search(id, query, 10);
      expect(hits.filter((h) => h.page !== null && SOUP.includes(h.page)), query).toEqual([]);
    }
    // The readable pages are still searched.
    expect(lib.search(id, 'Technology Acceptance Model', 3)[0]?.page).toBe(1);
  });
});
