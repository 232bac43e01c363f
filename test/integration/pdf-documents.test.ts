// PDF ingestion on real documents: a two-column paper, a 352-page book with running heads and
// an outline, and a Chinese manual. Sentences were located with poppler's pdftotext.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Document } from '../../main/core/document.js';
import { ingestPdf } from '../../main/core/ingest/pdf.js';
import { fixture } from '../support/fixtures.js';
import { expectConsistentOffsets } from '../support/ingest-checks.js';

const read = (rel: string) => new Uint8Array(readFileSync(fixture(rel)));

/** The page of the block that holds the whole sentence, or null when no single block does. */
function pageOf(doc: Document, sentence: string): number | null {
  const block = doc.blocks.find((b) => b.text.includes(sentence));
  return block ? block.page : null;
}

describe('PDF: tracemonkey.pdf (two-column paper)', () => {
  let doc: Document;
  beforeAll(async () => {
    doc = await ingestPdf(read('papers/tracemonkey.pdf'));
  });

  it('has 14 pages, a title from the first heading and consistent offsets', () => {
    expect(doc.pages).toBe(14);
    expect(doc.title).toBe('Trace-based Just-in-Time Type Specialization for Dynamic Languages');
    expect(doc.blocks.every((b) => b.page !== null && b.page >= 1 && b.page <= 14)).toBe(true);
    expectConsistentOffsets(doc);
  });

  it('rejoins words hyphenated at line ends and keeps hyphens written mid-line', () => {
    expect(pageOf(doc, 'Dynamic languages such as JavaScript are more difficult to compile than statically typed ones.')).toBe(1);
    expect(pageOf(doc, 'We present an alternative compilation technique for dynamically-typed languages')).toBe(1);
    expect(
      pageOf(doc, 'TraceMonkey starts a tree when a given loop header has been executed a certain number of times (2 in the current implementation).'),
    ).toBe(5);
  });

  it('reads a sentence that runs from the foot of column 1 to the top of column 2 contiguously', () => {
    // Page 1: the copyright notice sits at the foot of column 1, between the two halves.
    expect(
      pageOf(doc, 'is the de facto standard for client-side web programming and is used for the application logic of browser-based productivity applications'),
    ).toBe(1);
    // Page 2: column 2 opens with a figure before the sentence resumes.
    expect(pageOf(doc, 'In Section 7 we evaluate our dynamic compiler based on a set of industry benchmarks.')).toBe(2);
  });

  it('reads column 1 before column 2', () => {
    const left = doc.text.indexOf('Dynamic languages such as JavaScript, Python, and Ruby');
    const right = doc.text.indexOf('Compilers for statically typed languages rely on type information');
    expect(left).toBeGreaterThan(-1);
    expect(right).toBeGreaterThan(left);
  });

  it('finds section headings by font size (the paper has no outline)', () => {
    const headings = doc.blocks.filter((b) => b.kind === 'heading').map((b) => [b.page, b.text]);
    expect(headings).toContainEqual([1, '1. Introduction']);
    expect(headings).toContainEqual([2, '2. Overview: Example Tracing Run']);
    expect(headings).toContainEqual([4, '3. Trace Trees']);
  });
});

describe('PDF: arXiv papers', () => {
  it('resnet.pdf (two columns): sentences across columns and pages, digit-hyphen compounds', async () => {
    const doc = await ingestPdf(read('papers/resnet.pdf'));
    expect(doc.title).toBe('Deep Residual Learning for Image Recognition');
    // Foot of column 1 to the top of column 2, page 2.
    expect(
      pageOf(doc, 'Our ensemble has 3.57% top-5 error on the ImageNet test set, and won the 1st place in the ILSVRC 2015 classification competition.'),
    ).toBe(2);
    // Foot of page 2's column 2 ("high-") to the top of page 3's column 1 ("way networks").
    expect(pageOf(doc, 'In addition, highway networks have not demonstrated accuracy gains with extremely increased depth')).toBe(2);
    expect(pageOf(doc, 'Our 152-layer residual net is the deepest network ever presented on ImageNet')).toBe(2);
    // The author line is set as large as the section headings; the e-mail line under it says what
    // it is (it was a level-2 heading until 2026-12-05, issue 18).
    const outline = doc.blocks.filter((b) => b.kind === 'heading').map((b) => [b.level, b.page, b.text]);
    expect(outline.filter(([, page]) => page === 1)).toEqual([
      [1, 1, 'Deep Residual Learning for Image Recognition'],
      [2, 1, 'Abstract'],
      [2, 1, '1. Introduction'],
    ]);
    expect(doc.blocks.find((b) => b.text.startsWith('Kaiming He'))?.kind).toBe('paragraph');
  });

  it('attention_is_all_you_need.pdf: the printed title, though the outline starts at section 1', async () => {
    const doc = await ingestPdf(read('papers/attention_is_all_you_need.pdf'));
    expect(doc.title).toBe('Attention Is All You Need');
    expect(doc.blocks.find((b) => b.kind === 'heading' && b.text === '1 Introduction')?.page).toBe(2);
    // The rotated arXiv stamp in the margin is not text of the paper.
    expect(doc.text).not.toMatch(/arXiv:1706\.03762/);
  });
});

describe('PDF: freeculture.pdf (352-page book)', () => {
  let doc: Document;
  beforeAll(async () => {
    doc = await ingestPdf(read('books/freeculture.pdf'));
  });

  it('has its metadata, 352 pages and consistent offsets', () => {
    expect(doc.title).toBe('Free Culture');
    expect(doc.author).toBe('Lawrence Lessig');
    expect(doc.pages).toBe(352);
    expectConsistentOffsets(doc);
  });

  it('finds known sentences on the right pages', () => {
    expect(
      pageOf(doc, 'the Wright brothers demonstrated that a heavier-than-air, self-propelled vehicle could fly. The moment was electric'),
    ).toBe(17);
    expect(pageOf(doc, 'In 1928, a cartoon character was born.')).toBe(35);
    // Runs from the last line of page 32 onto page 33.
    expect(pageOf(doc, 'It might well be a possible design for a system of law protecting creative property.')).toBe(32);
  });

  it('leaves no running head, folio or web-address footer in the text', () => {
    // The running heads print a folio beside the book title, a part title or a section name.
    const heads = ['FREE CULTURE', '“PIRACY”', '“PROPERTY”', 'PUZZLES', 'BALANCES', 'CONCLUSION', 'AFTERWORD', 'NOTES', 'ACKNOWLEDGMENTS', 'INDEX', 'PREFACE', 'INTRODUCTION'];
    const folio = '(?:\\d{1,3}|[ivxlc]{1,7})';
    const pattern = new RegExp(`(?:^|\\s)(?:${folio} (?:${heads.join('|')})|(?:${heads.join('|')}) ${folio})(?:\\s|$)`);
    // Pages 9–11 are the table of contents, where such lines are content.
    const leftovers = doc.blocks.filter((b) => (b.page ?? 0) > 11 && pattern.test(b.text));
    expect(leftovers.map((b) => `${b.page}: ${b.text.slice(0, 80)}`)).toEqual([]);
    expect(doc.text).not.toContain('free-culture.org/get-it');
    expect(doc.blocks.filter((b) => /^[\divxlc]+$/.test(b.text))).toEqual([]);
  });

  it('takes its headings and their levels from the outline', () => {
    const headings = doc.blocks.filter((b) => b.kind === 'heading').map((b) => [b.level, b.page, b.text]);
    expect(headings).toContainEqual([1, 30, '“PIRACY”']);
    expect(headings).toContainEqual([2, 35, 'CHAPTER ONE: Creators']);
    expect(headings).toContainEqual([3, 67, 'Film']);
    expect(headings).toContainEqual([1, 339, 'INDEX']);
    expect(headings.length).toBeGreaterThan(50);
  });
});

describe('PDF: lshort-zh-cn.pdf (Chinese)', () => {
  let doc: Document;
  beforeAll(async () => {
    doc = await ingestPdf(read('zh/lshort-zh-cn.pdf'));
  });

  it('has 139 pages and its title', () => {
    expect(doc.pages).toBe(139);
    expect(doc.title).toBe('The Short Introduction to LaTeX2e (Chinese Simplified)');
  });

  it('finds Chinese sentences on the right pages, lines joined without spaces', () => {
    // "源" ends one line and "代码" begins the next.
    expect(pageOf(doc, '欢迎使用 LATEX！本章开头用简短的篇幅介绍了 LATEX 的来源，然后介绍了 LATEX 源代码的写法')).toBe(13);
    expect(pageOf(doc, 'TEX 以其卓越的稳定性、跨平台能力和几乎没有 bug 的特性而著称。')).toBe(13);
    expect(pageOf(doc, '命令行程序的结构往往比较简单，它们接受用户输入，读取相关文件')).toBe(14);
  });

  it('never puts a space between two Chinese characters', () => {
    expect(doc.text).not.toMatch(/\p{Script=Han} +\p{Script=Han}/u);
  });

  it('takes headings from the outline', () => {
    const headings = doc.blocks.filter((b) => b.kind === 'heading').map((b) => [b.level, b.page, b.text]);
    expect(headings).toContainEqual([2, 13, '1.1 概述']);
    expect(headings).toContainEqual([3, 13, '1.1.1 TEX']);
  });
});
