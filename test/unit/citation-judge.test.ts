import { describe, expect, it } from 'vitest';
import { citationHits, longestCommonSubstring, normaliseForJudging } from '../support/citation-judge.js';

describe('the development set’s citation rule', () => {
  it('normalises as the set says: NFKC, case, line-end hyphens, white space, spaces inside Chinese', () => {
    expect(normaliseForJudging('  The Pro-\n  vider  SHALL\tpay ＡＢＣ ')).toBe('the provider shall pay abc');
    expect(normaliseForJudging('劳动 合同 。 应当 订立')).toBe('劳动合同。应当订立');
    // On either side: after NFKC a full-width comma is ASCII, and the line break after it must not count.
    expect(normaliseForJudging('Section 2 条')).toBe('section 2条');
    expect(normaliseForJudging('解除合同，\n应当通知')).toBe('解除合同,应当通知');
  });

  it('finds the longest common run', () => {
    expect(longestCommonSubstring('abcdefg', 'xxcdefyy')).toBe(4);
    expect(longestCommonSubstring('', 'abc')).toBe(0);
  });

  it('hits on half the evidence or 60 characters, and only on the gold page', () => {
    const evidence = 'If there is any inconsistency between this Order Form and the Framework Terms, this Order Form will control.';
    const gold = { evidence, page: null };
    expect(citationHits({ quote: 'Preamble. If there is any inconsistency between this Order Form and the', page: null }, gold)).toBe(true);
    expect(citationHits({ quote: 'this Order Form will control.', page: null }, gold)).toBe(false);
    const long = 'x'.repeat(200);
    expect(citationHits({ quote: `${'y'.repeat(10)}${long.slice(0, 60)}`, page: null }, { evidence: long, page: null })).toBe(true);
    expect(citationHits({ quote: long.slice(0, 59), page: null }, { evidence: long, page: null })).toBe(false);
    expect(citationHits({ quote: evidence, page: 3 }, { evidence, page: 4 })).toBe(false);
    expect(citationHits({ quote: evidence, page: null }, { evidence, page: 4 })).toBe(true);
  });
});
