// The summary's small parts on texts small enough to check by eye.
import { describe, expect, it } from 'vitest';
import { DocumentBuilder } from '../../main/core/document.js';
import { isApparatusHeading, junkReason } from '../../main/core/summary/boilerplate.js';
import { summaryContext } from '../../main/core/summary/context.js';
import { overviewIndices, overviewSize } from '../../main/core/summary/overview.js';
import { cite, structureOf } from '../../main/core/summary/structure.js';
import { summarize } from '../../main/core/summary/summarize.js';
import { contentTerms } from '../../main/core/summary/terms.js';

describe('content terms', () => {
  it('drops stop words and numbers, folds plurals, splits Chinese into bigrams', () => {
    expect(contentTerms('The models were trained on 1,000 layers.')).toEqual(['model', 'train', 'layer']);
    expect(contentTerms('合同的解除')).toEqual(['合同', '同的', '的解', '解除']);
  });
});

describe('boilerplate and junk', () => {
  it('knows apparatus headings in English and Chinese', () => {
    for (const h of ['References', 'Table of Contents', '7. Acknowledgments', 'CONTENTS', '目录', '参考文献']) expect(isApparatusHeading(h), h).toBe(true);
    for (const h of ['Introduction', 'Referenced Works Discussed Here', '第一章 一般规定']) expect(isApparatusHeading(h), h).toBe(false);
  });

  it('keeps prose and names what is not', () => {
    expect(junkReason('The encoder is composed of a stack of six identical layers.')).toBeNull();
    expect(junkReason('依法成立的合同，受法律保护。')).toBeNull();
    expect(junkReason('Figure 2: Scaled Dot-Product Attention.')).toBe('caption');
    expect(junkReason('Q K V W O d k h e.')).toBe('glyph-soup');
    expect(junkReason('Alex Graves. Generating sequences with recurrent neural networks. arXiv preprint arXiv:1308.0850, 2013.')).toBe('reference');
    expect(junkReason('of the values, where the weight is computed by a function.')).toBe('fragment');
    expect(junkReason('Ashish Vaswani Google Brain')).toBe('unterminated');
    expect(junkReason('This eBook is for the use of anyone anywhere at no cost.')).toBe('licence');
  });
});

describe('citations without pages', () => {
  it('name the heading path and the paragraph within the section', () => {
    const b = new DocumentBuilder();
    b.add({ kind: 'paragraph', text: 'Preamble before any heading.' });
    b.add({ kind: 'heading', level: 1, text: 'Terms' });
    b.add({ kind: 'heading', level: 2, text: 'Payment' });
    b.add({ kind: 'paragraph', text: 'Fees are due monthly.' });
    b.add({ kind: 'paragraph', text: 'Late fees accrue. Interest is 1% a month.' });
    const doc = b.build({ kind: 'txt', title: 't' });
    const structure = structureOf(doc);
    const at = doc.text.indexOf('Interest');
    const c = cite(structure, at, at + 'Interest is 1% a month.'.length);
    expect(c).toMatchObject({ page: null, section: 'Terms › Payment', paragraph: 2, quote: 'Interest is 1% a month.' });
    expect(cite(structure, 0, 8)).toMatchObject({ section: null, paragraph: 1, quote: 'Preamble' });
    const heading = doc.blocks[2];
    expect(cite(structure, heading.start, heading.end)).toMatchObject({ section: 'Terms › Payment', paragraph: null });
  });
});

describe('the overview', () => {
  it('has 5 sentences for a short document and one more per doubling, up to 10', () => {
    expect(overviewSize(0)).toBe(0);
    expect(overviewSize(12)).toBe(5);
    expect(overviewSize(80)).toBe(6);
    expect(overviewSize(640)).toBe(9);
    expect(overviewSize(100_000)).toBe(10);
  });

  it('does not take the same content twice, and keeps document order', () => {
    const b = new DocumentBuilder();
    const sections: [string, string[]][] = [
      ['Engines', ['The steam engine converts heat from burning coal into mechanical work.', 'The steam engine converts heat from burning coal into mechanical work, too.', 'Engines need coal, water and a boiler to produce steam for mechanical work.']],
      ['Railways', ['Railways carried coal from the mines to the growing industrial cities.', 'The railway network spread quickly across the country after the first lines opened.']],
      ['Cities', ['Industrial cities grew around the mills, the mines and the railway stations.', 'Workers moved from the country to the cities to find work in the mills.']],
    ];
    for (const [heading, sentences] of sections) {
      b.add({ kind: 'heading', level: 1, text: heading });
      b.add({ kind: 'paragraph', text: sentences.join(' ') });
    }
    const doc = b.build({ kind: 'txt', title: 'Industry' });
    const ctx = summaryContext(doc);
    const chosen = overviewIndices(ctx, 3);
    const texts = chosen.map((i) => doc.text.slice(ctx.sentences[i].start, ctx.sentences[i].end));
    expect(texts.filter((t) => t.startsWith('The steam engine converts heat'))).toHaveLength(1);
    expect(new Set(chosen.map((i) => ctx.sentences[i].section)).size).toBe(3);
    expect([...chosen].sort((x, y) => x - y)).toEqual(chosen);
  });
});

describe('a Chinese contract', () => {
  it('is a contract and has its clauses as cited facts', () => {
    const b = new DocumentBuilder();
    b.add({ kind: 'heading', level: 1, text: '技术服务合同' });
    const clauses: [string, string[]][] = [
      ['第一条 合同当事人', ['甲方：北京某某科技有限公司，住所地北京市海淀区。', '乙方：上海某某信息技术有限公司，住所地上海市浦东新区。']],
      ['第二条 服务内容', ['乙方为甲方提供软件维护和技术支持服务，服务范围见附件一。', '乙方应当指派具有相应资质的技术人员完成服务。']],
      ['第三条 合同期限', ['本合同期限为两年，自2026年1月1日起至2027年12月31日止。', '期满前三十日内双方可以协商续签。']],
      ['第四条 费用及支付', ['甲方应当于每季度首月十日前向乙方支付服务费人民币五万元。', '乙方收到款项后五个工作日内开具发票。']],
      ['第五条 合同的解除', ['一方严重违约的，另一方可以书面通知对方解除本合同。', '因不可抗力致使合同目的不能实现的，双方均可以解除合同。']],
      ['第六条 违约责任', ['任何一方违反本合同约定的，应当承担违约责任，赔偿对方因此遭受的损失。', '乙方逾期提供服务的，每日按服务费的千分之一支付违约金。']],
      ['第七条 争议解决', ['因本合同引起的争议，双方应当协商解决；协商不成的，提交甲方所在地人民法院管辖。', '本合同适用中华人民共和国法律。']],
      ['第八条 其他', ['本合同自双方签字盖章之日起生效。', '本合同一式两份，双方各执一份，具有同等法律效力。']],
    ];
    for (const [heading, sentences] of clauses) {
      b.add({ kind: 'heading', level: 2, text: heading });
      b.add({ kind: 'paragraph', text: sentences.join('') });
    }
    const doc = b.build({ kind: 'md', title: '技术服务合同' });
    const summary = summarize(doc);
    expect(summary.genre).toBe('contract');
    const byKey = new Map(summary.facts.map((f) => [f.key, f]));
    // Each party by name, labelled by its role, cited by its own line.
    expect(summary.facts.filter((f) => f.key === 'parties').map((f) => [f.label, f.value, f.citation?.quote])).toEqual([
      ['甲方', '北京某某科技有限公司', '甲方：北京某某科技有限公司'],
      ['乙方', '上海某某信息技术有限公司', '乙方：上海某某信息技术有限公司'],
    ]);
    expect(byKey.get('effective-date')?.value).toBe('本合同自双方签字盖章之日起生效。');
    expect(byKey.get('term')?.value).toMatch(/^本合同期限为两年/);
    expect(byKey.get('termination')?.citation?.section).toBe('技术服务合同 › 第五条 合同的解除');
    expect(byKey.get('liability')?.citation?.section).toBe('技术服务合同 › 第六条 违约责任');
    expect(byKey.get('governing-law')?.citation?.section).toBe('技术服务合同 › 第七条 争议解决');
    expect(byKey.get('payment')?.value).toMatch(/支付服务费/);
    for (const f of summary.facts) expect(doc.text.slice(f.citation?.start, f.citation?.end)).toBe(f.citation?.quote);
    expect(summary.overview.length).toBe(5);
  });
});

describe('a document with nothing to quote', () => {
  it('gets an empty overview, not an error', () => {
    const b = new DocumentBuilder();
    b.add({ kind: 'heading', level: 1, text: 'Title only' });
    const summary = summarize(b.build({ kind: 'txt', title: 'Title only' }));
    expect(summary.overview).toEqual([]);
    expect(summary.outline).toEqual([{ heading: 'Title only', level: 1, page: null, start: 0, sentences: [] }]);
  });
});
