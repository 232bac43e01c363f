// Whether the document answers at all. A question the document cannot answer still finds
// sentences sharing some of its words; what gives it away is what the best sentence lacks: the
// question's rare words (coverage), the kind of answer asked for (a date, a sum, a number), and
// a clear lead over the rest. Thresholds set on dev-questions-a, reported on dev-questions-b.
import type { Question } from './question.js';
import type { Ranked } from './ranker.js';

export interface DeclineRule {
  /** Least share of the question's rare words in the best sentence's window (with its heading). */
  minRareCoverage: number;
  /** Least IDF-weighted share of all the question's words there. */
  minOverlap: number;
  /** Whether the best few must hold the asked answer type when the question asks for one. */
  requireType: boolean;
  /** How many of the best candidates may supply the asked type. */
  typeWithin: number;
}

export const DEFAULT_DECLINE: DeclineRule = { minRareCoverage: 0.2, minOverlap: 0.1, requireType: true, typeWithin: 5 };

export interface Verdict {
  found: boolean;
  reason: string | null;
}

export function decide(question: Question, ranked: Ranked[], rule: DeclineRule = DEFAULT_DECLINE): Verdict {
  const words = (terms: string[]): string => [...new Set(terms.map((t) => question.surface.get(t) ?? t))].slice(0, 3).join(', ');
  if (ranked.length === 0) {
    const missing = words(question.absent);
    return { found: false, reason: missing ? `no sentence uses the question's words (${missing})` : 'no sentence matches the question' };
  }
  const best = ranked[0].features;
  if (best.rareCoverage < rule.minRareCoverage || best.windowOverlap < rule.minOverlap) {
    const missing = words(ranked[0].missing);
    return { found: false, reason: `no passage has the question's main words together${missing ? ` (the closest lacks: ${missing})` : ''}` };
  }
  if (rule.requireType && question.expects !== null && question.expects !== 'reason') {
    const typed = ranked.slice(0, rule.typeWithin).some((c) => c.features.answerType > 0);
    if (!typed) return { found: false, reason: `the passages about it give no ${question.expects === 'party' ? 'party' : question.expects}` };
  }
  return { found: true, reason: null };
}
