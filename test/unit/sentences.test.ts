import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../main/core/text/sentences.js';

function sentences(text: string): string[] {
  return splitSentences(text).map((s) => text.slice(s.start, s.end));
}

// Each case: the text, then the sentences it must split into.
const cases: Array<[string, string[]]> = [
  // Legal references and abbreviations
  ['See Sec. 4.2(b) of the Act. It applies.', ['See Sec. 4.2(b) of the Act.', 'It applies.']],
  ['The U.S. Government shall pay. The buyer agrees.', ['The U.S. Government shall pay.', 'The buyer agrees.']],
  ['He moved to the U.S. The weather was better.', ['He moved to the U.S.', 'The weather was better.']],
  ['Under 42 U.S.C. 1983 a claim lies. Damages follow.', ['Under 42 U.S.C. 1983 a claim lies.', 'Damages follow.']],
  ['Brown v. Board of Education was decided in 1954. It overruled Plessy.', ['Brown v. Board of Education was decided in 1954.', 'It overruled Plessy.']],
  ['Smith vs. Jones settled. Costs were split.', ['Smith vs. Jones settled.', 'Costs were split.']],
  ['Acme Inc. Delaware is the seller. Beta Ltd. The buyer is Beta.', ['Acme Inc. Delaware is the seller.', 'Beta Ltd.', 'The buyer is Beta.']],
  ['The agreement is with Acme Ltd. It starts today.', ['The agreement is with Acme Ltd.', 'It starts today.']],
  ['See No. 5 and Art. IV of the charter. Both apply.', ['See No. 5 and Art. IV of the charter.', 'Both apply.']],
  ['He said No. Then he left.', ['He said No.', 'Then he left.']],
  ['1. The Tenant shall pay rent. 2. The Landlord shall repair.', ['1. The Tenant shall pay rent.', '2. The Landlord shall repair.']],
  ['4.2 Payment. The fee is due monthly.', ['4.2 Payment.', 'The fee is due monthly.']],
  ['(a) the Buyer pays; and (b) the Seller delivers. Title passes.', ['(a) the Buyer pays; and (b) the Seller delivers.', 'Title passes.']],
  ['Section 3. Notices must be written. Email suffices.', ['Section 3. Notices must be written.', 'Email suffices.']],
  ['The parties agree as follows:\n1. Definitions apply.\n2. Terms govern.', ['The parties agree as follows:', '1. Definitions apply.', '2. Terms govern.']],
  ['The fee is $1,000.50 per month. Late fees are 1.5% monthly.', ['The fee is $1,000.50 per month.', 'Late fees are 1.5% monthly.']],
  // Academic
  ['Many models (e.g. RNNs) fail. Others, i.e. transformers, work.', ['Many models (e.g. RNNs) fail.', 'Others, i.e. transformers, work.']],
  ['Vaswani et al. (2017) proposed it. We follow them.', ['Vaswani et al. (2017) proposed it.', 'We follow them.']],
  ['This was shown by Smith et al. The results hold.', ['This was shown by Smith et al.', 'The results hold.']],
  ['As Fig. 3 shows, loss falls. See Eq. 2 for details.', ['As Fig. 3 shows, loss falls.', 'See Eq. 2 for details.']],
  ['Pi is about 3.14 in value. It is irrational.', ['Pi is about 3.14 in value.', 'It is irrational.']],
  ['See pp. 12-14 and cf. Table 2. It agrees.', ['See pp. 12-14 and cf. Table 2.', 'It agrees.']],
  ['The Ph.D. Thesis was long. It was approved.', ['The Ph.D. Thesis was long.', 'It was approved.']],
  ['We met at 5 p.m. The talk began.', ['We met at 5 p.m.', 'The talk began.']],
  // Names and titles
  ['Mr. and Mrs. Bennet met Dr. Watson on St. James Street. They talked.', ['Mr. and Mrs. Bennet met Dr. Watson on St. James Street.', 'They talked.']],
  ['J. R. R. Tolkien wrote it. Readers loved it.', ['J. R. R. Tolkien wrote it.', 'Readers loved it.']],
  ['The book by J. R. R. Tolkien sold well. Fans agreed.', ['The book by J. R. R. Tolkien sold well.', 'Fans agreed.']],
  // Quotes, brackets, ellipses, ! and ?
  ['He said "no." Then he left.', ['He said "no."', 'Then he left.']],
  ['“Is he married or single?” asked she. “Single!”', ['“Is he married or single?” asked she.', '“Single!”']],
  ['“How so? how can it affect them?” He laughed.', ['“How so? how can it affect them?”', 'He laughed.']],
  ['(This is noted above.) The next point follows.', ['(This is noted above.)', 'The next point follows.']],
  ['Wait... what happened? Nothing... The end.', ['Wait... what happened?', 'Nothing...', 'The end.']],
  ['He paused… Then he spoke!', ['He paused…', 'Then he spoke!']],
  ['Really?! Yes.', ['Really?!', 'Yes.']],
  ['Heading without period\n\nA paragraph follows.', ['Heading without period', 'A paragraph follows.']],
  // Chinese
  ['此开卷第一回也。作者自云：因曾历过一番梦幻之后。', ['此开卷第一回也。', '作者自云：因曾历过一番梦幻之后。']],
  ['说道：“大师，弟子蠢物，不能见礼了。”二仙师听毕，齐憨笑道：“善哉，善哉！”', ['说道：“大师，弟子蠢物，不能见礼了。”', '二仙师听毕，齐憨笑道：“善哉，善哉！”']],
  ['何我堂堂须眉，诚不若彼裙钗哉？实愧则有余！', ['何我堂堂须眉，诚不若彼裙钗哉？', '实愧则有余！']],
  ['婚姻等协议，适用该法律；没有规定的，参照适用本编。', ['婚姻等协议，适用该法律；', '没有规定的，参照适用本编。']],
  ['他叫道「快走。」她没有动。', ['他叫道「快走。」', '她没有动。']],
  ['她想了想……又笑了。', ['她想了想……', '又笑了。']],
  ['这本书《石头记》很长。它有一百二十回。', ['这本书《石头记》很长。', '它有一百二十回。']],
  ['国公贾源.. ”，又有“万几宸翰之宝.. ”。他说。', ['国公贾源.. ”，又有“万几宸翰之宝.. ”。', '他说。']],
  // Mixed
  ['这是中文。This is English. 再见！', ['这是中文。', 'This is English.', '再见！']],
  ['模型使用 Mamba-2 架构。It reads fast.', ['模型使用 Mamba-2 架构。', 'It reads fast.']],
];

describe('splitSentences', () => {
  it.each(cases)('%s', (text, expected) => {
    expect(sentences(text)).toEqual(expected);
  });

  it('returns trimmed spans whose offsets slice the text exactly', () => {
    const text = '  First one.   Second one?\n\n  Third one!  ';
    const spans = splitSentences(text);
    expect(spans).toEqual([
      { start: 2, end: 12 },
      { start: 15, end: 26 },
      { start: 30, end: 40 },
    ]);
  });

  it('returns nothing for blank text', () => {
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences(' \n\n ')).toEqual([]);
  });
});
