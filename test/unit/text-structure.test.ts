import { describe, expect, it } from 'vitest';
import { chapterRank } from '../../main/core/ingest/chapter-lines.js';
import { inlineText, parseMarkdown } from '../../main/core/ingest/markdown.js';
import { textToDocument } from '../../main/core/ingest/text.js';

describe('chapter lines', () => {
  it.each([
    ['CHAPTER XII.', 2],
    ['Chapter 1.', 2],
    ['CHAPTER 1. Loomings.', 2],
    ['Chapter I.]', 2],
    ['_CHAPTER IV_', 2],
    ['BOOK I', 1],
    ['PART ONE', 1],
    ['Book the First', 1],
    ['PREFACE.', 2],
    ['I. A SCANDAL IN BOHEMIA', 2],
    ['II.', 3],
    ['第十二回', 2],
    ['第一回 甄士隐梦幻识通灵 贾雨村风尘怀闺秀', 2],
    ['第一章 总则', 2],
    ['第三编 合同', 1],
    ['第一分编 通则', 1.5],
    ['第二节 劳务派遣', 3],
  ])('%s has rank %d', (line, rank) => {
    expect(chapterRank(line)).toBe(rank);
  });

  it.each([
    'It was the best of times, it was the worst of times.',
    'Chapter and verse were quoted at length by the vicar.',
    'Part Civil',
    'I',
    '第四百六十三条 本编调整因合同产生的民事关系。',
    '第一章规定的合同，适用本法。',
    'Mr. Bennet replied that he had not.',
  ])('%s is not a chapter line', (line) => {
    expect(chapterRank(line)).toBeNull();
  });
});

describe('plain text structure', () => {
  it('unwraps paragraphs, finds standalone chapter lines and levels them by kind', () => {
    const text = [
      'BOOK I.',
      'THE BEGINNING.',
      '',
      'CHAPTER I.',
      '',
      'It was a truth universally acknowledged, that a single man in',
      'possession of a good fortune must be in want of a wife.',
      '',
      'CHAPTER II.',
      '',
      'Mr. Bennet was among the earliest of those who waited on',
      'Mr. Bingley.',
    ].join('\r\n');
    const doc = textToDocument(text, 'txt');
    expect(doc.blocks.map((b) => [b.kind, b.level, b.text])).toEqual([
      ['heading', 1, 'BOOK I. THE BEGINNING.'],
      ['heading', 2, 'CHAPTER I.'],
      ['paragraph', 0, 'It was a truth universally acknowledged, that a single man in possession of a good fortune must be in want of a wife.'],
      ['heading', 2, 'CHAPTER II.'],
      ['paragraph', 0, 'Mr. Bennet was among the earliest of those who waited on Mr. Bingley.'],
    ]);
  });

  it('treats a run of chapter lines as a table of contents, not as headings', () => {
    const text = ['Contents', '', 'CHAPTER 1. Loomings.', '', 'CHAPTER 2. The Carpet-Bag.', '', 'CHAPTER 3. The Spouter-Inn.', '',
      'CHAPTER 1. Loomings.', '', 'Call me Ishmael. Some years ago, never mind how long precisely.'].join('\n');
    const doc = textToDocument(text, 'txt');
    expect(doc.blocks.filter((b) => b.kind === 'heading').map((b) => b.text)).toEqual(['Contents', 'CHAPTER 1. Loomings.']);
    expect(doc.blocks.filter((b) => b.kind === 'list')).toHaveLength(3);
  });

  it('joins wrapped Chinese lines without a space, and keeps verse lines apart', () => {
    const text = '第一章 总则\n\n为了保护劳动者的合法权益，\n构建和发展和谐稳定的劳动关系，\n制定本法。\n\nRoses are red,\nViolets are blue.\n';
    const doc = textToDocument(text, 'txt');
    expect(doc.blocks.map((b) => b.text)).toEqual([
      '第一章 总则',
      '为了保护劳动者的合法权益，构建和发展和谐稳定的劳动关系，制定本法。',
      'Roses are red,\nViolets are blue.',
    ]);
  });

  it('keeps Chinese set line by line apart: a poem title, its author and its verses', () => {
    const text = '书事四首 其一\n陆游\n闻道舆图次第还，黄河依旧抱潼关。\n会当小驻平戎帐，饶益南亭看华山。\n\n与东吴生相遇\n韦庄\n\n' +
      '十年身事各如萍，白首相逢泪满缨。老去不知花有态，\n且对一尊开口笑，未衰应见泰阶平。\n';
    expect(textToDocument(text, 'txt').blocks.map((b) => b.text)).toEqual([
      '书事四首 其一\n陆游\n闻道舆图次第还，黄河依旧抱潼关。\n会当小驻平戎帐，饶益南亭看华山。',
      '与东吴生相遇\n韦庄',
      // A break after a comma is the file's wrapping: the sentence goes on.
      '十年身事各如萍，白首相逢泪满缨。老去不知花有态，且对一尊开口笑，未衰应见泰阶平。',
    ]);
  });

  it('joins Chinese filled to a narrow width, even where a line happens to end a sentence', () => {
    const prose = '民事诉讼应当遵循诚信原则。当事人有权在法律规定的范围内处分自己的民事权利和诉讼权利人民法院审理民事案件应当根据自愿和合法的原则进行调解调解不成的应当及时判决';
    const lines = prose.match(/.{1,13}/gu) ?? [];
    expect(lines[0]?.endsWith('。')).toBe(true);
    expect(textToDocument(lines.join('\n'), 'txt').blocks.map((b) => b.text)).toEqual([prose]);
  });

  it('takes a paragraph of more lines than a function call takes arguments', () => {
    const lines = Array.from({ length: 300_000 }, (_, i) => (i % 2 ? '这是一行较短的文字。' : `第${i}行`));
    const doc = textToDocument(lines.join('\n') + '\n'.repeat(20_000), 'txt');
    expect(doc.blocks).toHaveLength(1);
    expect(doc.text.split('\n')).toHaveLength(300_000);
  });

  it('takes one paragraph per line where a file has no blank lines', () => {
    const lines = ['第一回 风雪', ...Array.from({ length: 12 }, (_, i) => `\u3000\u3000这是第${i + 1}段的正文，写得很长很长，足以成为一个段落。`)];
    const doc = textToDocument(lines.join('\n'), 'txt');
    expect(doc.blocks[0]).toMatchObject({ kind: 'heading', text: '第一回 风雪' });
    expect(doc.blocks.filter((b) => b.kind === 'paragraph')).toHaveLength(12);
  });

  it('cuts a Project Gutenberg header and licence and keeps its title and author', () => {
    const text = [
      'The Project Gutenberg eBook of Tiny Book', '', 'Title: Tiny Book', '', 'Author: A. Writer', '',
      '*** START OF THE PROJECT GUTENBERG EBOOK TINY BOOK ***', '', 'The only paragraph.', '',
      '*** END OF THE PROJECT GUTENBERG EBOOK TINY BOOK ***', '', 'Section 1. General Terms of Use',
    ].join('\n');
    const doc = textToDocument(text, 'txt');
    expect(doc.title).toBe('Tiny Book');
    expect(doc.author).toBe('A. Writer');
    expect(doc.text).toBe('The only paragraph.');
  });
});

describe('Markdown', () => {
  it('strips inline syntax but keeps code literally', () => {
    expect(inlineText('Some **bold**, *em*, _also em_, ~~gone~~ and `a*b*c`.')).toBe('Some bold, em, also em, gone and a*b*c.');
    expect(inlineText('See [the docs](https://x.org/a_(b)) and ![a chart](c.png) or <https://y.org>.')).toBe(
      'See the docs and a chart or https://y.org.',
    );
    expect(inlineText('snake_case_name and 2*3*4 and \\*literal\\* &amp; <span class="x">tag</span>')).toBe(
      'snake_case_name and 2*3*4 and *literal* & tag',
    );
    expect(inlineText('means *______.*')).toBe('means ______.');
  });

  it('parses headings, lists, tables, fences, quotes and HTML blocks', () => {
    const md = [
      'Title', '=====', '', 'Intro with a hard', 'wrapped line.', '', '## Terms ##', '', '- first item', '  continued', '* second item',
      '1. numbered', '', '| Name | Value |', '|:-----|------:|', '| Fee | $10 |', '| Term | 1 year |', '', '```js', 'const x = 1;',
      '', 'const y = 2;', '```', '', '> Quoted **wisdom**.', '', '<p>Para one.</p><p>Para two.</p>', '<br>### Late heading', '----',
      '', '[ref]: https://example.com', 'Setext two', '----------',
    ].join('\n');
    expect(parseMarkdown(md).map((b) => [b.kind, b.level, b.text])).toEqual([
      ['heading', 1, 'Title'],
      ['paragraph', 0, 'Intro with a hard wrapped line.'],
      ['heading', 2, 'Terms'],
      ['list', 0, 'first item continued'],
      ['list', 0, 'second item'],
      ['list', 0, 'numbered'],
      ['table', 0, 'Name | Value'],
      ['table', 0, 'Fee | $10'],
      ['table', 0, 'Term | 1 year'],
      ['paragraph', 0, 'const x = 1;\n\nconst y = 2;'],
      ['paragraph', 0, 'Quoted wisdom.'],
      ['paragraph', 0, 'Para one.'],
      ['paragraph', 0, 'Para two.'],
      ['heading', 3, 'Late heading'],
      ['heading', 2, 'Setext two'],
    ]);
  });

  it('uses the first level-1 heading as the title', () => {
    expect(textToDocument('Preamble line\n\n# The Real Title\n\nBody.', 'md').title).toBe('The Real Title');
    expect(textToDocument('A short first line\n\nBody text follows.', 'md').title).toBe('A short first line');
  });
});
