import { describe, expect, it } from 'vitest';
import { lcsLength, rouge, rougeL, rougeN, rougeTokens } from '../eval/rouge.js';

// Hand-computed cases: the figures below were worked out on paper from the definitions.
describe('ROUGE', () => {
  it('tokenises words lower-cased, punctuation dropped, each CJK character alone', () => {
    expect(rougeTokens('The cat, the HAT!')).toEqual(['the', 'cat', 'the', 'hat']);
    expect(rougeTokens('红楼梦 volume 2')).toEqual(['红', '楼', '梦', 'volume', '2']);
    expect(rougeTokens('ｆｕｌｌ-width')).toEqual(['full', 'width']);
  });

  it('ROUGE-1 clips repeated words to the other side’s count', () => {
    // candidate: the the the cat (4 tokens); reference: the cat sat (3 tokens)
    // overlap: the → min(3, 1) = 1, cat → 1: 2. P = 2/4, R = 2/3, F1 = 2·(1/2)(2/3)/(1/2 + 2/3) = 4/7.
    const r = rougeN('the the the cat', 'the cat sat', 1);
    expect(r.precision).toBeCloseTo(0.5, 12);
    expect(r.recall).toBeCloseTo(2 / 3, 12);
    expect(r.f1).toBeCloseTo(4 / 7, 12);
  });

  it('ROUGE-2 counts shared word pairs', () => {
    // candidate bigrams: the cat, cat sat, sat on, on the, the mat (5)
    // reference "the cat lay on the mat": the cat, cat lay, lay on, on the, the mat (5)
    // shared: the cat, on the, the mat = 3; P = R = F1 = 3/5.
    expect(rougeN('The cat sat on the mat.', 'the cat lay on the mat', 2).f1).toBeCloseTo(0.6, 12);
  });

  it('ROUGE-L is the longest common subsequence', () => {
    // a b c d e against a c e f: LCS a c e = 3; P = 3/5, R = 3/4, F1 = 2·0.6·0.75/1.35 = 2/3.
    expect(lcsLength(['a', 'b', 'c', 'd', 'e'], ['a', 'c', 'e', 'f'])).toBe(3);
    expect(rougeL('a b c d e', 'a c e f').f1).toBeCloseTo(2 / 3, 12);
  });

  it('is 1 for identical text and 0 for nothing shared or an empty side', () => {
    expect(rouge('Same words here.', 'same words here')).toEqual({ rouge1: 1, rouge2: 1, rougeL: 1 });
    expect(rouge('alpha beta', 'gamma delta')).toEqual({ rouge1: 0, rouge2: 0, rougeL: 0 });
    expect(rouge('', 'gamma delta')).toEqual({ rouge1: 0, rouge2: 0, rougeL: 0 });
  });
});
