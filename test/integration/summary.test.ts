// `Library.summary` on real documents of every kind the app takes: the genre, an overview of
// 5–10 of the document's own sentences in document order, an outline and key facts, every quote
// equal to the stored text at its offsets and found where its citation says (on its PDF page,
// checked against pdf.js's own text of that page; under its heading and paragraph otherwise),
// and the stored summary returned unchanged.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Citation, DocumentGenre, Summary } from '../../common/types.js';
import type { Document } from '../../main/core/document.js';
import { InputRejected } from '../../main/core/errors.js';
import { Library } from '../../main/core/library.js';
import { DocumentNotFound } from '../../main/core/store/documents.js';
import { putSummary } from '../../main/core/store/summaries.js';
import { fixture, hasFixture } from '../support/fixtures.js';
import { makeEpub, sherlockChapters } from '../support/make-epub.js';
import { pagesWhereQuoteStarts, pdfPageLetters, type PagedLetters } from '../support/pdf-page-text.js';

const dir = mkdtempSync(join(tmpdir(), 'lectern-summary-'));
const dbPath = join(dir, 'library.sqlite');
let library: Library;

beforeAll(() => {
  library = Library.open(dbPath);
});
afterAll(() => {
  library.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Letters and digits only, lower case: what survives of a PDF's text whatever its layout. */
function skeleton(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

const lettersByPath = new Map<string, PagedLetters>();
async function pagedLetters(path: string): Promise<PagedLetters> {
  const known = lettersByPath.get(path);
  if (known) return known;
  const paged = await pdfPageLetters(path);
  lettersByPath.set(path, paged);
  return paged;
}

const pageTexts = new Map<string, string[]>();
async function pdfPages(path: string): Promise<string[]> {
  const known = pageTexts.get(path);
  if (known) return known;
  const pdf = await getDocument({ data: new Uint8Array(readFileSync(path)), verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const content = await page.getTextContent();
    pages.push(skeleton(content.items.map((item) => ('str' in item ? item.str : '')).join(' ')));
    page.cleanup();
  }
  await pdf.destroy();
  pageTexts.set(path, pages);
  return pages;
}

/** The citation points at its quote: same text at its offsets, on its page or under its heading. */
async function expectCited(doc: Document, c: Citation, path: string): Promise<void> {
  expect(c.quote.length).toBeGreaterThan(0);
  expect(doc.text.slice(c.start, c.end)).toBe(c.quote);
  if (doc.pages !== null) {
    expect(c.page).not.toBeNull();
    const pages = await pdfPages(path);
    // The quote starts on its page: pdf.js's text has its opening there (the same judge as the
    // search citations', test/support/pdf-page-text.ts), or its opening words (where the ingester
    // put a page's lines in another order than its content stream: an author block).
    const words = c.quote.split(/\s+/).map(skeleton).filter((w) => w.length >= 3).slice(0, 6);
    const page = pages[(c.page as number) - 1];
    const starts = pagesWhereQuoteStarts(await pagedLetters(path), c.quote);
    if (starts.includes(c.page as number)) return;
    // A quote whose first words end its page and whose next ones open the following page (the
    // page of its first character is the one cited).
    const next = pages[c.page as number] ?? '';
    const straddles = words.some((_, j) => j > 0 && words.slice(0, j).every((w) => page.includes(w)) && words.slice(j).every((w) => next.includes(w)));
    if (!straddles) expect(words.filter((w) => !page.includes(w)), `"${c.quote.slice(0, 60)}" on page ${c.page}`).toEqual([]);
    return;
  }
  expect(c.page).toBeNull();
  // Under its heading, as the paragraph-th body block after it.
  const at = doc.blocks.findLastIndex((b) => b.start <= c.start);
  const block = doc.blocks[at];
  if (block.kind === 'heading') {
    expect(c.section?.endsWith(block.text.replace(/\s+/g, ' ').trim())).toBe(true);
    expect(c.paragraph).toBeNull();
    return;
  }
  const heading = doc.blocks.findLastIndex((b, i) => i < at && b.kind === 'heading');
  if (heading < 0) {
    expect(c.section).toBeNull();
  } else {
    expect(c.section?.endsWith(doc.blocks[heading].text.replace(/\s+/g, ' ').trim())).toBe(true);
  }
  expect(c.paragraph).toBe(at - heading);
}

async function expectWellFormed(summary: Summary, doc: Document, path: string, outlined = true): Promise<void> {
  expect(summary.overview.length).toBeGreaterThanOrEqual(5);
  expect(summary.overview.length).toBeLessThanOrEqual(10);
  for (let i = 1; i < summary.overview.length; i++) {
    expect(summary.overview[i].citation.start).toBeGreaterThanOrEqual(summary.overview[i - 1].citation.end);
  }
  for (const s of summary.overview) {
    expect(s.text).toBe(s.citation.quote);
    await expectCited(doc, s.citation, path);
  }
  for (const e of summary.outline) {
    expect(e.sentences.length).toBeLessThanOrEqual(3);
    const heading = doc.blocks.find((b) => b.start === e.start);
    expect(heading?.kind).toBe('heading');
    for (const s of e.sentences) {
      await expectCited(doc, s.citation, path);
      expect(s.citation.start).toBeGreaterThan(e.start);
    }
  }
  if (outlined) expect(summary.outline.filter((e) => e.sentences.length > 0).length).toBeGreaterThan(0);
  for (const f of summary.facts) {
    expect(f.citation).not.toBeNull();
    const c = f.citation as Citation;
    await expectCited(doc, c, path);
    // A fact is the document's own words: its value is its quote or a span of it.
    expect(c.quote).toContain(f.value);
    expect(f.key).toMatch(/^[a-z-]+$/);
  }
}

interface Case {
  name: string;
  fixture: string;
  genre: DocumentGenre;
  /** Fact keys that must be there. */
  keys: string[];
  /** Values that must be among the facts (characters, terms). */
  values?: string[];
  /** The document has no headings with prose under them. */
  noOutline?: boolean;
}

const CASES: Case[] = [
  {
    name: 'DOCX contract',
    fixture: 'contracts/common-paper-cloud-service-agreement-with-sla.docx',
    genre: 'contract',
    keys: ['parties', 'effective-date', 'term', 'termination', 'payment', 'liability-cap', 'governing-law', 'notices', 'defined-term'],
    values: ['Confidential Information'],
  },
  // A one-page cover sheet, mostly a table: still five cited lines.
  { name: 'DOCX cover page', fixture: 'contracts/bonterms-mutual-nda.docx', genre: 'contract', keys: ['effective-date', 'governing-law'], noOutline: true },
  {
    name: 'Markdown contract',
    fixture: 'contracts/series-seed-preferred-stock-investment-agreement.md',
    genre: 'contract',
    keys: ['parties', 'governing-law', 'defined-term'],
  },
  { name: 'PDF paper', fixture: 'papers/attention_is_all_you_need.pdf', genre: 'paper', keys: ['title', 'authors', 'abstract', 'contribution', 'data', 'result'], values: ['Attention Is All You Need'] },
  { name: 'PDF book', fixture: 'books/freeculture.pdf', genre: 'book', keys: ['chapter', 'character'] },
  { name: 'text novel', fixture: 'novels/pride_and_prejudice.txt', genre: 'novel', keys: ['character', 'chapter'], values: ['Elizabeth', 'Darcy', 'Bennet', 'Bingley'] },
  // Both parties by name from their own lines, the cap apart from the damages clause, 所称…是指 terms.
  {
    name: 'Chinese Markdown contract',
    fixture: 'zh/software-service-contract-zh.md',
    genre: 'contract',
    keys: ['parties', 'effective-date', 'term', 'termination', 'payment', 'liability', 'liability-cap', 'governing-law', 'notices', 'defined-term'],
    values: ['青禾数据科技有限公司', '远帆软件有限公司', '交付物', '保密信息'],
  },
  { name: 'Chinese Markdown law', fixture: 'zh/civil-code-contracts-zh.md', genre: 'law', keys: ['effective-date', 'termination', 'liability', 'governing-law', 'chapter'] },
  { name: 'Chinese Markdown novel', fixture: 'zh/hongloumeng-ch001-010.md', genre: 'novel', keys: ['character', 'chapter'], values: ['宝玉', '黛玉', '贾母'] },
];

describe.each(CASES)('summary of a $name', (c) => {
  const available = hasFixture(c.fixture);
  it.skipIf(!available)(`is a ${c.genre} with a cited overview, outline and facts`, async () => {
    const path = fixture(c.fixture);
    const { row } = await library.add(path);
    const doc = library.document(row.id);
    const summary = library.summary(row.id);
    expect(summary.genre).toBe(c.genre);
    expect(summary.id).toBe(row.sha256);
    expect(summary.modelId).toBeNull();
    expect(summary.cached).toBe(false);
    await expectWellFormed(summary, doc, path, !c.noOutline);
    const keys = new Set(summary.facts.map((f) => f.key));
    for (const key of c.keys) expect(keys, `fact ${key}`).toContain(key);
    const values = summary.facts.map((f) => f.value);
    for (const v of c.values ?? []) expect(values, `fact value ${v}`).toContain(v);

    const again = library.summary(row.id);
    expect(again.cached).toBe(true);
    expect({ ...again, cached: false }).toEqual(summary);
  });
});

describe('summary of an EPUB', () => {
  it('is a novel whose chapters are its outline', async () => {
    const sherlock = readFileSync(fixture('novels/sherlock_holmes.txt'), 'utf8');
    const bytes = await makeEpub({ title: 'The Adventures of Sherlock Holmes', author: 'Arthur Conan Doyle', chapters: sherlockChapters(sherlock, 4) });
    const path = join(dir, 'sherlock.epub');
    writeFileSync(path, bytes);
    const { row } = await library.add(path);
    const doc = library.document(row.id);
    const summary = library.summary(row.id);
    expect(summary.genre).toBe('novel');
    await expectWellFormed(summary, doc, path);
    expect(summary.facts.filter((f) => f.key === 'character').map((f) => f.value)).toContain('Holmes');
    expect(summary.outline.map((e) => e.heading)).toEqual(doc.blocks.filter((b) => b.kind === 'heading').map((b) => b.text.replace(/\s+/g, ' ').trim()));
  });
});

describe('the stored summary', () => {
  it('survives reopening the library and is made again when the method changes', async () => {
    const { row } = await library.add(fixture('contracts/series-seed-term-sheet.md'));
    const first = library.summary(row.id);
    library.close();
    library = Library.open(dbPath);
    const reopened = library.summary(row.id);
    expect(reopened.cached).toBe(true);
    expect({ ...reopened, cached: false }).toEqual(first);
    // A row written by an older method (version 0) is not served.
    putSummary(library.db, row.id, null, 0, { ...first, overview: [] });
    const remade = library.summary(row.id);
    expect(remade.cached).toBe(false);
    expect(remade.overview).toEqual(first.overview);
  });

  it('goes with its document', async () => {
    const { row } = await library.add(fixture('contracts/series-seed-term-sheet.md'));
    library.summary(row.id);
    library.db.prepare('DELETE FROM documents WHERE id = ?').run(row.id);
    expect(library.db.prepare('SELECT count(*) AS n FROM summaries WHERE document_id = ?').get(row.id)).toEqual({ n: 0 });
  });
});

describe('bad input', () => {
  it('a document that cannot be read is rejected with a one-line reason and leaves nothing behind', async () => {
    const path = join(dir, 'broken.pdf');
    writeFileSync(path, '%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    const before = library.documents().length;
    const summaries = (): unknown => library.db.prepare('SELECT count(*) AS n FROM summaries').get();
    const summariesBefore = summaries();
    const error = await library.add(path).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputRejected);
    expect((error as Error).message).not.toContain('\n');
    expect(library.documents().length).toBe(before);
    expect(summaries()).toEqual(summariesBefore);
  });

  it('asking for the summary of a document that is not in the library says so', () => {
    expect(() => library.summary(987_654)).toThrow(DocumentNotFound);
    expect(() => library.summary(987_654)).toThrow('no document 987654 in the library');
  });
});
