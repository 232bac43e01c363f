// Every search result cites the page its quote is on, checked over whole documents: the quote's
// offsets slice it out of the document text, and its opening is found, in pdf.js's own raw page
// text, on the page cited. Queries come from the documents themselves (two long words of a
// sentence every so many passages), so every part of a document is searched.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Library } from '../../main/core/library.js';
import { loadPassages } from '../../main/core/store/documents.js';
import { splitSentences } from '../../main/core/text/sentences.js';
import { fixture, hasFixture } from '../support/fixtures.js';
import { pagesWhereQuoteStarts, pdfPageLetters } from '../support/pdf-page-text.js';

const dir = mkdtempSync(join(tmpdir(), 'lectern-cite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const QUERIES = 40;

/** Two of the longest words of a sentence in the middle of every n-th passage. */
function queriesFor(library: Library, id: number): string[] {
  const passages = loadPassages(library.db, id);
  const step = Math.max(1, Math.floor(passages.length / QUERIES));
  const out: string[] = [];
  for (let i = 0; i < passages.length && out.length < QUERIES; i += step) {
    const sentences = splitSentences(passages[i].text);
    const s = sentences[Math.floor(sentences.length / 2)];
    if (s === undefined) continue;
    const words = [...new Set(passages[i].text.slice(s.start, s.end).match(/\p{L}{5,}/gu) ?? [])];
    words.sort((a, b) => b.length - a.length || a.localeCompare(b));
    if (words.length >= 2) out.push(`${words[0]} ${words[1]}`);
  }
  return out;
}

const pdfs = ['books/freeculture.pdf', 'papers/attention_is_all_you_need.pdf', 'papers/tracemonkey.pdf'];

describe('search cites the page of its quote', () => {
  for (const rel of pdfs) {
    it.skipIf(!hasFixture(rel))(`${rel}: every result's quote starts on the page it cites`, async () => {
      const library = Library.open(join(dir, `${rel.replace(/\W/g, '_')}.sqlite`));
      try {
        const { row } = await library.add(fixture(rel));
        const text = library.document(row.id).text;
        const paged = await pdfPageLetters(fixture(rel));
        let results = 0;
        let wrong = 0;
        let wrongBefore = 0;
        const failures: string[] = [];
        const unfound: string[] = [];
        for (const query of queriesFor(library, row.id)) {
          for (const hit of library.search(row.id, query, 5)) {
            results++;
            expect(text.slice(hit.quoteStart, hit.quoteEnd)).toBe(hit.quote);
            const pages = pagesWhereQuoteStarts(paged, hit.quote);
            // Figure labels and table cells come out of pdf.js in another order: nothing to check.
            if (pages.length === 0) {
              unfound.push(hit.quote.slice(0, 80));
              continue;
            }
            if (hit.page === null || !pages.includes(hit.page)) {
              wrong++;
              failures.push(`p. ${hit.page} (raw text: ${pages.join(', ')}): ${hit.quote.slice(0, 80)}`);
            }
            if (hit.passagePage === null || !pages.includes(hit.passagePage)) wrongBefore++;
          }
        }
        // The passage's page, what search cited until 2026-12-05, is measured alongside.
        console.log(
          `${rel}: ${results} results, ${unfound.length} not found in pdf.js's order; quote's page wrong for ${wrong}, passage's page wrong for ${wrongBefore}`,
        );
        expect(results).toBeGreaterThan(50);
        expect(unfound.length, unfound.join('\n')).toBeLessThanOrEqual(results * 0.05);
        expect(failures).toEqual([]);
      } finally {
        library.close();
      }
    });
  }

  const docx = 'contracts/common-paper-cloud-service-agreement-with-sla.docx';
  it.skipIf(!hasFixture(docx))('a DOCX: offsets slice out the quote; section and paragraph name its block', async () => {
    const library = Library.open(join(dir, 'docx.sqlite'));
    try {
      const { row } = await library.add(fixture(docx));
      const doc = library.document(row.id);
      let results = 0;
      for (const query of queriesFor(library, row.id)) {
        for (const hit of library.search(row.id, query, 5)) {
          results++;
          expect(doc.text.slice(hit.quoteStart, hit.quoteEnd)).toBe(hit.quote);
          expect(hit.page).toBeNull();
          // The block holding the quote's start, counted among the blocks under its heading.
          const at = doc.blocks.findLastIndex((b) => b.start <= hit.quoteStart);
          const block = doc.blocks[at];
          expect(hit.quoteStart).toBeLessThan(block.end);
          const heading = doc.blocks.slice(0, at + 1).findLastIndex((b) => b.kind === 'heading');
          expect(hit.sectionPath.at(-1) ?? null).toBe(heading < 0 ? null : doc.blocks[heading].text);
          expect(hit.sectionPath.at(-1) ?? null).toBe(hit.section);
          expect(hit.paragraph).toBe(block.kind === 'heading' ? null : at - heading);
        }
      }
      expect(results).toBeGreaterThan(50);
    } finally {
      library.close();
    }
  });
});
