// Every answer's citation names the page its quote starts on, over whole PDFs: questions made
// from sentences spread through the document (two of a sentence's longest words), each cited
// quote sliced from the text at its offsets and its opening found, in pdf.js's own raw page text,
// on the page cited. Answers before the model's reading (search and structure) rank and cite
// sentences the same way, so no reading is needed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Library } from '../../main/core/library.js';
import { loadPassages } from '../../main/core/store/documents.js';
import { splitSentences } from '../../main/core/text/sentences.js';
import { fixture, hasFixture } from '../support/fixtures.js';
import { pagesWhereQuoteStarts, pdfPageLetters } from '../support/pdf-page-text.js';

const dir = mkdtempSync(join(tmpdir(), 'lectern-ask-pages-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const QUESTIONS = 25;

function questionsFor(library: Library, id: number): string[] {
  const passages = loadPassages(library.db, id);
  const step = Math.max(1, Math.floor(passages.length / QUESTIONS));
  const out: string[] = [];
  for (let i = 0; i < passages.length && out.length < QUESTIONS; i += step) {
    const sentences = splitSentences(passages[i].text);
    const s = sentences[sentences.length - 1];
    if (s === undefined) continue;
    const words = [...new Set(passages[i].text.slice(s.start, s.end).match(/\p{L}{5,}/gu) ?? [])];
    words.sort((a, b) => b.length - a.length || a.localeCompare(b));
    if (words.length >= 2) out.push(`What does the text say about ${words[0]} and ${words[1]}?`);
  }
  return out;
}

describe('ask cites the page of its quote', () => {
  for (const rel of ['books/freeculture.pdf', 'papers/attention_is_all_you_need.pdf']) {
    it.skipIf(!hasFixture(rel))(`${rel}: every citation's quote starts on the page it cites`, async () => {
      const library = Library.open(join(dir, `${rel.replace(/\W/g, '_')}.sqlite`));
      try {
        const { row } = await library.add(fixture(rel));
        const text = library.document(row.id).text;
        const paged = await pdfPageLetters(fixture(rel));
        let checked = 0;
        const wrong: string[] = [];
        for (const question of questionsFor(library, row.id)) {
          const answer = await library.ask(row.id, question, { top: 3 });
          for (const c of answer.citations) {
            expect(text.slice(c.start, c.end)).toBe(c.quote);
            const pages = pagesWhereQuoteStarts(paged, c.quote);
            // Figure labels and table cells come out of pdf.js in another order: nothing to check.
            if (pages.length === 0) continue;
            checked++;
            if (!pages.includes(c.page ?? -1)) wrong.push(`p. ${c.page} (found on ${pages.join(', ')}): ${c.quote.slice(0, 60)}`);
          }
        }
        expect(checked).toBeGreaterThan(30);
        expect(wrong).toEqual([]);
      } finally {
        library.close();
      }
    }, 300_000);
  }
});
