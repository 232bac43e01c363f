import { describe, expect, it } from 'vitest';
import { expectedType, holdsType } from '../../main/core/answer/answer-types.js';
import { checkQuestion, checkScript } from '../../main/core/answer/question.js';
import { scriptOf, stem, termsOf } from '../../main/core/answer/terms.js';

describe('answer terms', () => {
  it('meets word forms and number words, drops question words', () => {
    expect(stem('termination')).toBe(stem('terminate'));
    expect(stem('payments')).toBe(stem('payment'));
    expect(termsOf('How many days does the Customer have?')).toEqual(['day', stem('customer')]);
    expect(termsOf('six months')).toEqual(termsOf('6 months'));
    expect(termsOf('$25,000 and 4.2')).toEqual(['25000', '4.2']);
  });

  it('gives Chinese as jieba words and bigrams, and stops a Latin word at Chinese text', () => {
    const terms = termsOf('劳动者提前三十日通知用人单位');
    expect(terms).toContain('w:劳动者');
    expect(terms).toContain('w:用人单位');
    expect(terms).toContain('劳动');
    expect(terms).toContain('动者');
    expect(termsOf('不生成PDF，有什么办法')).toContain('pdf');
  });

  it('tells the script of a question', () => {
    expect(scriptOf('用 beamer 做幻灯片时，怎样让列表里的条目一条一条地出现？')).toBe('zh');
    expect(scriptOf('What does "合同" mean in this agreement?')).toBe('en');
    expect(scriptOf('??? 123')).toBeNull();
  });
});

describe('answer types', () => {
  it('reads the type a question asks for', () => {
    expect(expectedType('How long does the vendor keep its insurance?')).toBe('duration');
    expect(expectedType('When is a notice treated as received?')).toBe('date');
    expect(expectedType('What interest rate applies to late invoices?')).toBe('percent');
    expect(expectedType('Who may terminate the agreement?')).toBe('party');
    expect(expectedType('What does "Prohibited Data" mean?')).toBe('definition');
    expect(expectedType('劳动者每年可以休几天带薪年假？')).toBe('duration');
    expect(expectedType('Is the vendor allowed to train models on our content?')).toBeNull();
  });

  it('reads how soon, how often and how long a span of years as durations', () => {
    expect(expectedType('How soon must we report a defect to keep the warranty remedy?')).toBe('duration');
    expect(expectedType('How quickly must the provider restore the service?')).toBe('duration');
    expect(expectedType('How often may we audit the provider?')).toBe('duration');
    expect(expectedType('经济补偿按多长的工作年限计算？')).toBe('duration');
  });

  it('finds a duration written as contracts write it, and a frequency', () => {
    expect(holdsType('Each Major Purchaser will have (10) days from the date of notice to agree in writing.', 'duration')).toBe(true);
    expect(holdsType('Requests may only be made once a year.', 'duration')).toBe(true);
    expect(holdsType('Reports are delivered twice per calendar year.', 'duration')).toBe(true);
    expect(holdsType('Each Major Purchaser will have the right to buy its pro rata share.', 'duration')).toBe(false);
  });

  it('finds the type in a sentence', () => {
    expect(holdsType('Provider will carry insurance for six months after the term.', 'duration')).toBe(true);
    expect(holdsType('Late amounts accrue interest at 1.5% per month.', 'percent')).toBe(true);
    expect(holdsType('The parties will cooperate in good faith.', 'percent')).toBe(false);
    expect(holdsType('“Security Incident” means a breach of security.', 'definition')).toBe(true);
    expect(holdsType('应当自用工之日起一个月内订立书面劳动合同。', 'duration')).toBe(true);
  });
});

describe('bad questions', () => {
  it('refuses empty, over-long and wordless questions and another script', () => {
    expect(() => checkQuestion('  ')).toThrow(/empty/);
    expect(() => checkQuestion('x'.repeat(10_000))).toThrow(/10,000 characters/);
    expect(() => checkQuestion('?!')).toThrow(/no words/);
    expect(checkQuestion('  When?  ')).toBe('When?');
    expect(() => checkScript('合同什么时候生效？', 'en')).toThrow(/in Chinese but the document is in English/);
    expect(() => checkScript('When does it start?', 'en')).not.toThrow();
  });
});
