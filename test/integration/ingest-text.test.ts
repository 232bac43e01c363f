import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Block, Document } from '../../main/core/document.js';
import { Cancelled } from '../../main/core/errors.js';
import { ingest } from '../../main/core/ingest/index.js';
import { fixture } from '../support/fixtures.js';
import { rejectionOf } from '../support/ingest-checks.js';

const load = (rel: string) => ingest(new Uint8Array(readFileSync(fixture(rel))), { fileName: rel.split('/').pop() });
const headings = (doc: Document) => doc.blocks.filter((b) => b.kind === 'heading');
const HAN_SPACE_HAN = /\p{Script=Han} \p{Script=Han}/u;

function romanToInt(roman: string): number {
  const value: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100 };
  let total = 0;
  for (let i = 0; i < roman.length; i++) {
    const v = value[roman[i]];
    total += v < (value[roman[i + 1]] ?? 0) ? -v : v;
  }
  return total;
}

describe('Pride and Prejudice (Project Gutenberg)', () => {
  let doc: Document;
  beforeAll(async () => {
    doc = await load('novels/pride_and_prejudice.txt');
  });

  it('takes title and author from the Gutenberg header and cuts header and licence', () => {
    expect(doc.kind).toBe('txt');
    expect(doc.title).toBe('Pride and Prejudice');
    expect(doc.author).toBe('Jane Austen');
    expect(doc.text).not.toContain('START OF THE PROJECT GUTENBERG');
    expect(doc.text).not.toContain('Project Gutenberg License');
    expect(doc.text).toContain('had been the means of uniting them.');
    expect(doc.text).not.toContain('www.gutenberg.org');
  });

  it('finds all 61 chapters, in order (chapter I sits in an illustration caption)', () => {
    const chapters = headings(doc).filter((h) => /^chapter /i.test(h.text));
    expect(chapters).toHaveLength(61);
    expect(chapters.map((h) => romanToInt(/^chapter ([IVXLC]+)\b/i.exec(h.text)?.[1] ?? ''))).toEqual(
      Array.from({ length: 61 }, (_, i) => i + 1),
    );
    expect(new Set(chapters.map((h) => h.level))).toEqual(new Set([1]));
  });

  it('unwraps hard-wrapped paragraphs', () => {
    const opening = doc.blocks.find((b: Block) => b.text.startsWith('It is a truth universally acknowledged'));
    expect(opening).toMatchObject({
      kind: 'paragraph',
      text: 'It is a truth universally acknowledged, that a single man in possession of a good fortune must be in want of a wife.',
    });
    const long = doc.blocks.filter((b) => b.kind === 'paragraph' && b.text.length > 300);
    expect(long.length).toBeGreaterThan(500);
    expect(long.every((b) => !b.text.includes('\n'))).toBe(true);
  });
});

describe('The Adventures of Sherlock Holmes', () => {
  it('finds the twelve stories as level 1 and their numbered parts as level 2', async () => {
    const doc = await load('novels/sherlock_holmes.txt');
    const stories = headings(doc).filter((h) => /^[IVX]+\. [A-Z]/.test(h.text));
    expect(stories.map((h) => h.text)).toHaveLength(12);
    expect(stories[0]).toMatchObject({ level: 1, text: 'I. A SCANDAL IN BOHEMIA' });
    expect(stories[11]).toMatchObject({ level: 1, text: 'XII. THE ADVENTURE OF THE COPPER BEECHES' });
    const parts = headings(doc).filter((h) => /^[IVX]+\.$/.test(h.text));
    expect(parts.length).toBeGreaterThanOrEqual(3);
    expect(parts.every((h) => h.level === 2)).toBe(true);
    const first = doc.blocks.find((b) => b.text.startsWith('To Sherlock Holmes she is always'));
    expect(first?.text).toMatch(/^To Sherlock Holmes she is always _the_ woman\. I have seldom heard him mention her under any other name\./);
  });
});

describe('红楼梦, chapters 1–10 (Markdown with inline HTML)', () => {
  it('has ten chapter headings and joins no Chinese with spaces', async () => {
    const doc = await load('zh/hongloumeng-ch001-010.md');
    expect(doc.kind).toBe('md');
    const chapters = headings(doc);
    expect(chapters.map((h) => h.text.split(' ')[0])).toEqual([
      '第一回', '第二回', '第三回', '第四回', '第五回', '第六回', '第七回', '第八回', '第九回', '第十回',
    ]);
    expect(chapters[1].text).toBe('第二回 贾夫人仙逝扬州城 冷子兴演说荣国府');
    // The only spaces between Chinese characters are the source's own (a prescription's doses).
    const source = readFileSync(fixture('zh/hongloumeng-ch001-010.md'), 'utf8').replace(/[ \t]+/g, ' ');
    const spaced = doc.blocks.filter((b) => b.kind === 'paragraph' && HAN_SPACE_HAN.test(b.text));
    for (const block of spaced) expect(source).toContain(block.text);
    expect(doc.text).not.toMatch(/<\/?p>|<br>|<hr>|<blockquote/);
    expect(doc.text).toContain('此开卷第一回也。作者自云：因曾历过一番梦幻之后');
  });

  it('joins hard-wrapped Chinese lines without a space', async () => {
    // The first paragraph of chapter 1, wrapped every 30 characters as plain-text editions are.
    const doc = await load('zh/hongloumeng-ch001-010.md');
    const paragraph = doc.blocks.find((b) => b.text.startsWith('此开卷第一回也'))?.text ?? '';
    const wrapped = `第一回\n\n${paragraph.match(/.{1,30}/gu)?.join('\n')}\n`;
    const rewrapped = await ingest(new TextEncoder().encode(wrapped), { fileName: 'wrapped.txt' });
    expect(rewrapped.blocks.map((b) => b.text)).toEqual(['第一回', paragraph]);
  });
});

describe('民法典 合同编 (Markdown statute)', () => {
  it('finds 编, 分编, 章 and 节 headings and keeps articles as paragraphs', async () => {
    const doc = await load('zh/civil-code-contracts-zh.md');
    expect(doc.title).toBe('中华人民共和国民法典');
    const hs = headings(doc);
    expect(hs.find((h) => /^第一分编\s+通则$/.test(h.text))?.level).toBe(2);
    expect(hs.find((h) => /^第一章\s+一般规定$/.test(h.text))?.level).toBe(3);
    expect(hs.find((h) => /^第一节\s+一般规定$/.test(h.text))?.level).toBe(4);
    const chapterHeadings = hs.filter((h) => /^第[一二三四五六七八九十]+章/.test(h.text));
    expect(chapterHeadings).toHaveLength(29);
    expect(chapterHeadings.find((h) => h.text.startsWith('第二十七章'))?.text).toMatch(/^第二十七章\s+合伙合同$/);
    expect(chapterHeadings.at(-1)?.text).toMatch(/^第二十九章\s+不当得利$/);
    expect(hs.some((h) => h.text.includes('条'))).toBe(false);
    expect(doc.blocks.find((b) => b.text.startsWith('第四百六十三条'))?.text).toBe('第四百六十三条 本编调整因合同产生的民事关系。');
  });
});

describe('Markdown contract (Series Seed, CC0)', () => {
  it('strips emphasis but keeps fill-in blanks', async () => {
    const doc = await load('contracts/series-seed-preferred-stock-investment-agreement.md');
    expect(doc.title).toBe('SERIES SEED PREFERRED STOCK INVESTMENT AGREEMENT');
    expect(doc.blocks.find((b) => b.text.startsWith('“Company” means'))?.text).toMatch(/^“Company” means _{10,}\.$/);
    expect(doc.text).not.toMatch(/\*\*/);
  });
});

describe('limits and cancellation', () => {
  it('stops with Cancelled when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await ingest(new TextEncoder().encode('Some text.'), { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Cancelled);
  });

  it('rejects input over maxBytes before reading it', async () => {
    expect((await rejectionOf(ingest(new Uint8Array(2048), { maxBytes: 1024 }))).reason).toBe('too-large');
  });

  it('falls back to the file name for a title, and rejects text that yields nothing', async () => {
    const doc = await ingest(new TextEncoder().encode(`${'word '.repeat(40)}\n`), { fileName: '/tmp/My Notes.final.txt' });
    expect(doc.title).toBe('My Notes.final');
    const empty = await rejectionOf(ingest(new TextEncoder().encode('<!-- nothing -->\n'), { fileName: 'blank.md' }));
    expect(empty.reason).toBe('empty');
  });
});
