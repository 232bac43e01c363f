// A question as the ranker sees it: checked (length, script), its terms with their weight in
// this document, the rare ones among them, the answer type it asks for.
import { UsageError } from '../errors.js';
import { isCjkChar } from '../text/cjk.js';
import { expectedType, type AnswerType } from './answer-types.js';
import type { SentenceIndex } from './sentence-index.js';
import { scriptOf, termsOf } from './terms.js';

/** Longer than any question: a pasted page is not one, and it would only slow the ranking. */
export const MAX_QUESTION_CHARS = 1000;

export interface Question {
  text: string;
  /** Distinct terms in order of first appearance. */
  terms: string[];
  /** All terms in order, repeats kept (for phrases). */
  sequence: string[];
  idf: Map<string, number>;
  /** The question's rarest terms in this document: what a supporting sentence must contain. */
  rare: Set<string>;
  /** Terms the document never uses. */
  absent: string[];
  expects: AnswerType | null;
  /** Each term as the question wrote it ("termination" for the stem "terminat"), for messages. */
  surface: Map<string, string>;
}

/** Checks a question on its own, before any document is touched: a UsageError says what is wrong. */
export function checkQuestion(text: string): string {
  const q = text.trim();
  if (q.length === 0) throw new UsageError('the question is empty');
  if (q.length > MAX_QUESTION_CHARS) {
    throw new UsageError(`the question is ${q.length.toLocaleString('en-US')} characters long; ask in at most ${MAX_QUESTION_CHARS.toLocaleString('en-US')}`);
  }
  if (scriptOf(q) === null) throw new UsageError('the question has no words');
  return q;
}

/** Checks that a question is written in the document's script (Chinese on Chinese, English on English). */
export function checkScript(question: string, documentLanguage: 'en' | 'zh'): void {
  const script = scriptOf(question);
  if (script !== null && script !== documentLanguage) {
    const name = { en: 'English', zh: 'Chinese' };
    throw new UsageError(`the question is in ${name[script]} but the document is in ${name[documentLanguage]}; ask in ${name[documentLanguage]}`);
  }
}

export function analyseQuestion(text: string, index: SentenceIndex): Question {
  const sequence = termsOf(text);
  const terms = [...new Set(sequence)];
  const idf = new Map(terms.map((t) => [t, index.idf(t)]));
  const absent = terms.filter((t) => !index.postings.has(t));
  // Rare: the terms that carry at least their share of the question's weight among those the
  // document uses; at least one, so a two-word question still has a subject.
  const used = terms.filter((t) => index.postings.has(t)).sort((a, b) => idf.get(b)! - idf.get(a)!);
  const total = used.reduce((s, t) => s + idf.get(t)!, 0);
  const rare = new Set(used.filter((t, i) => i === 0 || idf.get(t)! >= total / used.length));
  const surface = new Map<string, string>();
  for (const word of text.split(/[\s,.;:!?()"“”'‘’，。；：！？（）、]+/u)) {
    // Chinese terms (words and bigrams) are their own surface; an English stem shows the word.
    for (const t of termsOf(word)) if (!surface.has(t)) surface.set(t, t.startsWith('w:') ? t.slice(2) : isCjkChar(t[0]) ? t : word);
  }
  return { text, terms, sequence, idf, rare, absent, expects: expectedType(text), surface };
}
