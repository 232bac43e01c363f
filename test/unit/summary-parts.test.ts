// The summary's small parts on texts small enough to check by eye.
import { describe, expect, it } from 'vitest';
import { DocumentBuilder } from '../../main/core/document.js';
import { isApparatusHeading, junkReason } from '../../main/core/summary/boilerplate.js';
import { summaryContext } from '../../main/core/summary/context.js';
import { overviewIndices, overviewSize } from '../../main/core/summary/overview.js';
import { cite, structureOf } from '../../main/core/summary/structure.js';
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
    expect(cite(structure, heading.start, heading.end)).toMatchObject({ section: 'Payment', paragraph: null });
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
