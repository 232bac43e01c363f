// What the ranker knows about a candidate sentence, each feature in [0, 1] (or −1…1 where it can
// count against): lexical overlap weighted by IDF, in the sentence and in its window, rare-word
// coverage, proximity, phrase, heading match, the asked answer type (in the sentence, and in its
// quote), a definition of the asked term, the rank and score of its passage in full-text search,
// and pseudo-relevance feedback (the terms the best candidates share beyond the question's).
// Model signals are added by model-signals.ts.
import { holdsType, type AnswerType } from './answer-types.js';
import { neighboursOf, type Candidate } from './candidates.js';
import type { Question } from './question.js';
import type { SentenceIndex } from './sentence-index.js';
import { proximity, type SearchHit } from './search.js';

export const LEXICAL_FEATURES = [
  'bm25f',
  'overlap',
  'windowOverlap',
  'rareCoverage',
  'proximity',
  'phrase',
  'heading',
  'answerType',
  'definition',
  'search',
  'searchScore',
  'short',
  'quoteType',
  'feedback',
  'passage',
] as const;
export const MODEL_FEATURES = ['vectors', 'gain', 'documentGain', 'reread'] as const;
export type FeatureName = (typeof LEXICAL_FEATURES)[number] | (typeof MODEL_FEATURES)[number];
export type Features = Record<FeatureName, number>;

export interface ScoredCandidate extends Candidate {
  features: Features;
  /** The quote's units: the sentence, and a neighbour when it completes it. */
  quoteUnits: number[];
  /** The question's terms missing from the sentence's window and heading, weightiest first. */
  missing: string[];
}

/** A sentence shorter than this many terms rarely answers anything on its own. */
const SHORT_TERMS = 4;

/** Where full-text search puts the passage holding an offset: its rank, and its score over the best one's. */
export type SearchPlace = (offset: number) => { rank: number; share: number } | null;

/** The place of each offset among search's hits (the passage holding it). */
export function searchPlaces(hits: SearchHit[]): SearchPlace {
  const best = hits.length > 0 ? hits[0].score : 0;
  return (offset) => {
    const r = hits.findIndex((h) => h.start <= offset && offset < h.end);
    return r < 0 ? null : { rank: r, share: best > 0 ? hits[r].score / best : 0 };
  };
}

export function lexicalFeatures(index: SentenceIndex, question: Question, found: Candidate[], searchPlace: SearchPlace): ScoredCandidate[] {
  const weight = (terms: Iterable<string>): number => {
    let s = 0;
    for (const t of new Set(terms)) s += question.idf.get(t) ?? 0;
    return s;
  };
  const total = Math.max(1e-9, weight(question.terms));
  const asked = new Set(question.terms);
  const top = found.length > 0 ? found[0].bm25f : 1;
  const pairs = questionPairs(question.sequence);
  const expansion = feedbackTerms(index, question, found);
  const expansionTotal = [...expansion.values()].reduce((a, b) => a + b, 0);
  return found.map((c) => {
    const u = index.units[c.unit];
    const own = new Set(u.terms.filter((t) => asked.has(t)));
    const around = neighboursOf(index, c.unit);
    const window = new Set(own);
    for (const n of around) for (const t of index.units[n].terms) if (asked.has(t)) window.add(t);
    const headingTerms = new Set(index.sections[u.section].terms.filter((t) => asked.has(t)));
    const rareFound = [...question.rare].filter((t) => window.has(t) || headingTerms.has(t)).length;
    const sentenceText = index.text.slice(u.start, u.end);
    const place = searchPlace(u.start);
    const quote = quoteUnits(index, c.unit, asked);
    const quoteText = index.text.slice(index.units[quote[0]].start, index.units[quote[quote.length - 1]].end);
    let fed = 0;
    for (const t of new Set(u.terms)) fed += expansion.get(t) ?? 0;
    const features: Features = {
      bm25f: c.bm25f / top,
      overlap: weight(own) / total,
      windowOverlap: weight(new Set([...window, ...headingTerms])) / total,
      rareCoverage: question.rare.size === 0 ? 0 : rareFound / question.rare.size,
      proximity: proximity(u.terms, asked),
      phrase: pairs.size === 0 ? 0 : pairsIn(u.terms, pairs) / pairs.size,
      heading: weight(headingTerms) / total,
      answerType: question.expects === null ? 0 : holdsType(sentenceText, question.expects) ? 1 : -1,
      definition: question.expects === 'definition' && holdsType(sentenceText, 'definition') && own.size > 0 ? 1 : 0,
      search: place === null ? 0 : 1 / (1 + place.rank),
      searchScore: place === null ? 0 : place.share,
      short: u.terms.length < SHORT_TERMS ? 1 : 0,
      quoteType: question.expects === null ? 0 : holdsType(quoteText, question.expects) ? 1 : -1,
      feedback: expansionTotal === 0 ? 0 : fed / expansionTotal,
      passage: bestWindow(index, c.unit, asked, weight) / total,
      vectors: 0,
      gain: 0,
      documentGain: 0,
      reread: 0,
    };
    const missing = question.terms
      .filter((t) => !window.has(t) && !headingTerms.has(t))
      .sort((a, b) => (question.idf.get(b) ?? 0) - (question.idf.get(a) ?? 0));
    return { ...c, features, quoteUnits: quote, missing };
  });
}

/** The passage windows a sentence is scored in: this many consecutive sentences of its section. */
const WINDOW_SIZES = [2, 3];

/**
 * The question's weight in the best window of WINDOW_SIZES consecutive sentences of the section
 * that holds the sentence: the question's rare words spread over adjacent sentences give the
 * answer sentence beside the one that repeats them its credit, whichever side it is on.
 */
export function bestWindow(index: SentenceIndex, unit: number, asked: Set<string>, weight: (terms: Iterable<string>) => number): number {
  const section = index.units[unit].section;
  let best = 0;
  for (const size of WINDOW_SIZES) {
    for (let first = unit - size + 1; first <= unit; first++) {
      const last = first + size - 1;
      if (first < 0 || last >= index.units.length || index.units[first].section !== section || index.units[last].section !== section) continue;
      const held = new Set<string>();
      for (let n = first; n <= last; n++) for (const t of index.units[n].terms) if (asked.has(t)) held.add(t);
      best = Math.max(best, weight(held));
    }
  }
  return best;
}

/** Candidates whose windows give the feedback terms, and how many terms they give. */
const FEEDBACK_DOCUMENTS = 5;
const FEEDBACK_TERMS = 10;

/**
 * Pseudo-relevance feedback (RM3-like): the terms other than the question's that weigh most in
 * the windows (sentence and neighbours) of the best BM25F candidates, each window weighted by its
 * score and each term by its share of the window and its IDF. A sentence that uses them speaks of
 * what the best candidates speak of, in words the question did not use.
 */
export function feedbackTerms(index: SentenceIndex, question: Question, found: Candidate[]): Map<string, number> {
  const asked = new Set(question.terms);
  const weight = new Map<string, number>();
  const top = found.slice(0, FEEDBACK_DOCUMENTS);
  const total = top.reduce((s, c) => s + c.bm25f, 0);
  if (total <= 0) return weight;
  for (const c of top) {
    const terms = [c.unit, ...neighboursOf(index, c.unit)].flatMap((n) => index.units[n].terms);
    for (const t of terms) {
      if (asked.has(t)) continue;
      weight.set(t, (weight.get(t) ?? 0) + (c.bm25f / total) * (index.idf(t) / terms.length));
    }
  }
  return new Map([...weight].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, FEEDBACK_TERMS));
}

/** Adjacent pairs of the question's terms. */
function questionPairs(sequence: string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 1 < sequence.length; i++) out.add(`${sequence[i]} ${sequence[i + 1]}`);
  return out;
}

function pairsIn(terms: string[], pairs: Set<string>): number {
  const seen = new Set<string>();
  for (let i = 0; i + 1 < terms.length; i++) {
    const p = `${terms[i]} ${terms[i + 1]}`;
    if (pairs.has(p)) seen.add(p);
  }
  return seen.size;
}

/** Quotes stay short enough to read at a glance. */
const QUOTE_CHARS = 400;

/**
 * The sentence and the next one of its block when the two stay within QUOTE_CHARS: the answer
 * often sits in the sentence after the one that repeats the question's words ("Article 586 …
 * A deposit … . Its amount may not exceed …"). Else the neighbour in its block that adds question
 * terms the sentence lacks, when that fits.
 */
function quoteUnits(index: SentenceIndex, unit: number, asked: Set<string>): number[] {
  if (fitsQuote(index, unit, unit + 1)) return [unit, unit + 1];
  const own = new Set(index.units[unit].terms.filter((t) => asked.has(t)));
  const adds = (n: number): number => new Set(index.units[n].terms.filter((t) => asked.has(t) && !own.has(t))).size;
  if (unit > 0 && fitsQuote(index, unit, unit - 1) && adds(unit - 1) > 0) return [unit - 1, unit];
  return [unit];
}

/** Whether sentence `n` is in the block of `unit` and the two fit in one quote. */
function fitsQuote(index: SentenceIndex, unit: number, n: number): boolean {
  const u = index.units[unit];
  const v = index.units[n];
  return v !== undefined && v.block === u.block && Math.max(u.end, v.end) - Math.min(u.start, v.start) <= QUOTE_CHARS;
}

/**
 * The quote made for the asked type (the eval's "typed quote" row; not what `ask` cites): when the
 * sentence lacks the type and a neighbour of its block holds it (the next first), the sentence
 * with that neighbour; else the quote as made.
 */
export function typedQuoteUnits(index: SentenceIndex, c: Pick<ScoredCandidate, 'unit' | 'quoteUnits'>, expects: AnswerType | null): number[] {
  if (expects === null) return c.quoteUnits;
  const typed = (n: number): boolean => holdsType(index.text.slice(index.units[n].start, index.units[n].end), expects);
  if (typed(c.unit)) return c.quoteUnits;
  if (fitsQuote(index, c.unit, c.unit + 1) && typed(c.unit + 1)) return [c.unit, c.unit + 1];
  if (c.unit > 0 && fitsQuote(index, c.unit, c.unit - 1) && typed(c.unit - 1)) return [c.unit - 1, c.unit];
  return c.quoteUnits;
}

/** The sentence with both neighbours of its block where the three fit in a quote (what `ask` cites: citations.ts). */
export function wideQuoteUnits(index: SentenceIndex, c: Pick<ScoredCandidate, 'unit' | 'quoteUnits'>): number[] {
  const [before, after] = [c.unit - 1, c.unit + 1];
  if (before >= 0 && fitsQuote(index, before, after) && fitsQuote(index, c.unit, before)) return [before, c.unit, after];
  return c.quoteUnits;
}
