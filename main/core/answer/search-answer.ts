// An answer for a document too long to rank its sentences. Past MAX_WHOLE_CHARS (store/documents.ts)
// the sentence index, which holds every sentence's terms, would take gigabytes (953 MB at 52M
// characters, measured 2026-12-05), so `ask` answers such a document from full-text search
// instead: search reads the text by ranges and works at any size. Its passages' quotes are the
// citations, each cited where the quote is; the answer says `partial` with basis 'search'.
import type { Answer } from '../../../common/types.js';
import type { Db } from '../store/db.js';
import { readTextRange } from '../store/document-text.js';
import { documentChars, fitsWhole, locatorOf } from '../store/documents.js';
import { checkQuestion, checkScript } from './question.js';
import { searchPassages, type SearchHit } from './search.js';
import { documentLanguage, LANGUAGE_SAMPLE_CHARS, termsOf } from './terms.js';

/** A search hit cited where its quote is: `page` is the page of the quote's first character. */
export interface CitedHit extends SearchHit {
  /** The page the passage starts on (what `page` said before quotes were located). */
  passagePage: number | null;
  sectionPath: string[];
  paragraph: number | null;
}

/** Search's best passages, each with the place of its quote (page, heading path, paragraph). */
export function citedSearch(db: Db, documentId: number, query: string, top: number): CitedHit[] {
  const hits = searchPassages(db, documentId, query, top);
  if (hits.length === 0) return [];
  const locator = locatorOf(db, documentId);
  return hits.map((h) => {
    const at = locator.locate(h.quoteStart);
    return { ...h, passagePage: h.page, page: at.page, sectionPath: at.sectionPath, paragraph: at.paragraph };
  });
}

/** Whether `ask` may rank the document's sentences (its sentence index fits in memory). */
export function ranksSentences(db: Db, documentId: number): boolean {
  return fitsWhole(documentChars(db, documentId));
}

/** The document's language from its opening, read by range (what the sentence index would say). */
export function storedLanguage(db: Db, documentId: number): 'en' | 'zh' {
  return documentLanguage(readTextRange(db, documentId, 0, LANGUAGE_SAMPLE_CHARS));
}

/**
 * The answer from full-text search alone. Search also matches function and question words
 * ("what", "which"), so a passage is cited only when its quote holds one of the question's own
 * terms (terms.ts leaves those words out), and the answer is found when one is.
 */
export function answerBySearch(db: Db, documentId: number, question: string, top = 5): Answer {
  const t0 = performance.now();
  const text = checkQuestion(question);
  checkScript(text, storedLanguage(db, documentId));
  const asked = new Set(termsOf(text));
  const holdsAsked = (quote: string): boolean => termsOf(quote).some((t) => asked.has(t));
  const citations = citedSearch(db, documentId, text, top).filter((h) => holdsAsked(h.quote)).map((h) => ({
    page: h.page,
    section: h.sectionPath.length > 0 ? h.sectionPath.join(' > ') : null,
    paragraph: h.paragraph,
    quote: h.quote,
    start: h.quoteStart,
    end: h.quoteEnd,
    score: h.score,
  }));
  const found = citations.length > 0;
  return {
    question: text,
    found,
    answer: found ? citations[0].quote : null,
    reason: found ? null : 'no passage of the document holds the question\'s words',
    citations,
    partial: true,
    basis: 'search',
    timingsMs: { total: Math.round(performance.now() - t0) },
  };
}
