// The development set's rule for whether a citation supports a gold answer
// (../shared/eval/README.md, "How a citation is judged"), so that figures measured here mean
// what they mean there.

import { CJK_SCRIPTS } from '../../main/core/text/cjk.js';

/** CJK characters and CJK punctuation, next to which the rule removes a space. */
const CJK = `${CJK_SCRIPTS}\\u3000-\\u303F\\uFF00-\\uFFEF`;
/**
 * A space with a CJK character on either side (2026-12-05: it used to take only spaces between
 * two, which let the line break after a full-width comma count: NFKC makes that comma ASCII).
 */
const SPACE_NEXT_TO_CJK = new RegExp(`(?<=[${CJK}]) | (?=[${CJK}])`, 'gu');

/** NFKC, lower case, line-end hyphenation undone, white space collapsed, no space next to CJK. */
export function normaliseForJudging(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/(\p{L})-[ \t]*\n\s*(\p{L})/gu, '$1$2')
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(SPACE_NEXT_TO_CJK, '');
}

/** Length of the longest common substring, in UTF-16 code units (dynamic programming, two rows). */
export function longestCommonSubstring(a: string, b: string): number {
  if (a.length === 0 || b.length === 0) return 0;
  let prev = new Int32Array(b.length + 1);
  let row = new Int32Array(b.length + 1);
  let best = 0;
  for (let i = 1; i <= a.length; i++) {
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const v = ca === b.charCodeAt(j - 1) ? prev[j - 1] + 1 : 0;
      row[j] = v;
      if (v > best) best = v;
    }
    [prev, row] = [row, prev];
  }
  return best;
}

export interface Citation {
  quote: string;
  page: number | null;
}

export interface Gold {
  evidence: string;
  page: number | null;
}

/** A hit: the common run is at least half the evidence or 60 characters, on the gold page. */
export function citationHits(citation: Citation, gold: Gold): boolean {
  if (gold.page !== null && citation.page !== null && gold.page !== citation.page) return false;
  const evidence = normaliseForJudging(gold.evidence);
  const run = longestCommonSubstring(normaliseForJudging(citation.quote), evidence);
  return run >= evidence.length / 2 || run >= 60;
}
