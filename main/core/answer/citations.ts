// From ranked candidates to the answer's citations: which quotes are shown, in which order. Quotes
// never overlap; each carries its own offsets, page, heading path and paragraph.
import type { Citation } from '../../../common/types.js';
import type { AnswerType } from './answer-types.js';
import { typedQuoteUnits, wideQuoteUnits } from './features.js';
import type { Ranked } from './ranker.js';
import type { SentenceIndex } from './sentence-index.js';

export interface CitationRule {
  /**
   * When a candidate's quote overlaps an earlier citation, cite its own sentence alone if that is
   * clear of them, instead of dropping it: the sentence before a cited pair often is the answer
   * ("Customer must give notice within 45 days …" before "Within 45 days of receiving …").
   */
  trim: boolean;
  /**
   * Score taken off a candidate whose sentence shares a paragraph with a citation already chosen
   * (MMR-like), so the first few citations are different places rather than neighbours; 0 keeps
   * the ranker's order.
   */
  diversity: number;
  /**
   * Quote the sentence with both neighbours of its block where the three fit in a quote: the
   * evidence is often the sentence before or after the one ranked first, and a reader gets it
   * with its context at the same glance (at most 400 characters, as any quote).
   */
  wide: boolean;
  /**
   * Quote the neighbour that holds the asked type when the sentence lacks it (features.ts,
   * typedQuoteUnits); measured on dev-questions-a, not shipped (docs/EVAL.md).
   */
  typed: boolean;
}

/** Each candidate's quote as made, overlapping ones dropped, in the ranker's order. */
export const PLAIN_CITATIONS: CitationRule = { trim: false, diversity: 0, wide: false, typed: false };
/** What `ask` cites (2026-12-05, lectern-mamba2-7m-v6, chosen on dev-questions-a: docs/EVAL.md). */
export const DEFAULT_CITATIONS: CitationRule = { ...PLAIN_CITATIONS, trim: true, wide: true };

/** The first `top` quotes, none overlapping an earlier one, with their places. */
export function citationsOf(index: SentenceIndex, ranked: Ranked[], top: number, rule: CitationRule = DEFAULT_CITATIONS, expects: AnswerType | null = null): Citation[] {
  const out: Citation[] = [];
  const taken: Array<[number, number]> = [];
  const blocks = new Set<number>();
  const overlaps = (units: number[]): boolean => {
    const s = index.units[units[0]].start;
    const e = index.units[units[units.length - 1]].end;
    return taken.some(([a, b]) => s < b && a < e);
  };
  const remaining = [...ranked];
  while (out.length < top && remaining.length > 0) {
    let pick = 0;
    if (rule.diversity > 0 && blocks.size > 0) {
      const value = (r: Ranked): number => r.score - (blocks.has(index.units[r.unit].block) ? rule.diversity : 0);
      for (let i = 1; i < remaining.length; i++) if (value(remaining[i]) > value(remaining[pick])) pick = i;
    }
    const r = remaining.splice(pick, 1)[0];
    const made = rule.wide ? wideQuoteUnits(index, r) : r.quoteUnits;
    let units = rule.typed ? typedQuoteUnits(index, { unit: r.unit, quoteUnits: made }, expects) : made;
    if (overlaps(units)) {
      if (!rule.trim || overlaps([r.unit])) continue;
      units = [r.unit];
    }
    const first = index.units[units[0]];
    const last = index.units[units[units.length - 1]];
    taken.push([first.start, last.end]);
    blocks.add(index.units[r.unit].block);
    const path = index.sections[first.section].path;
    out.push({
      page: first.page,
      section: path.length > 0 ? path.join(' › ') : null,
      paragraph: index.paged ? null : first.paragraph,
      quote: index.text.slice(first.start, last.end),
      start: first.start,
      end: last.end,
      score: Math.round(r.score * 1000) / 1000,
    });
  }
  return out;
}
