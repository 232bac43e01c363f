import { describe, expect, it } from 'vitest';
import {
  closeCjkSpaces,
  collectWords,
  composeAccents,
  joinAdjacent,
  joinLines,
} from '../../main/core/ingest/pdf-join.js';

const piece = (text: string, x0: number, x1: number, spaceBefore = false) => ({ text, x0, x1, size: 10, spaceBefore });

function vocabularyOf(...lines: string[]): Set<string> {
  const words = new Set<string>();
  for (const line of lines) collectWords(line, words);
  return words;
}

describe('joinLines: hyphens at line ends', () => {
  const none = new Set<string>();

  it('rejoins a word split by a line-end hyphen', () => {
    expect(joinLines('more difficult to com-', 'pile than statically typed ones.', none)).toBe(
      'more difficult to compile than statically typed ones.',
    );
  });

  it('keeps the hyphen of a compound already hyphenated before the break', () => {
    expect(joinLines('a state-of-the-', 'art compiler', none)).toBe('a state-of-the-art compiler');
  });

  it('keeps the hyphen when the document writes the compound with a hyphen mid-line', () => {
    const words = vocabularyOf('for dynamically-typed languages that identify');
    expect(joinLines('techniques for dynamically-', 'typed code', words)).toBe('techniques for dynamically-typed code');
  });

  it('removes the hyphen when the document also writes the word whole', () => {
    const words = vocabularyOf('dynamically-typed and dynamicallytyped both occur');
    expect(joinLines('for dynamically-', 'typed code', words)).toBe('for dynamicallytyped code');
  });

  it('keeps a hyphen before a capital or after a digit', () => {
    expect(joinLines('the Franco-', 'Prussian war', none)).toBe('the Franco-Prussian war');
    expect(joinLines('our 152-', 'layer network', none)).toBe('our 152-layer network');
  });

  it('drops a soft hyphen', () => {
    expect(joinLines('docu\u00ad', 'ment', none)).toBe('document');
  });

  it('joins ordinary lines with one space and CJK lines with none', () => {
    expect(joinLines('the end of', 'a line', none)).toBe('the end of a line');
    expect(joinLines('编译 LATEX 源', '代码生成文档', none)).toBe('编译 LATEX 源代码生成文档');
    expect(joinLines('对', 'TEX 的一层封装', none)).toBe('对 TEX 的一层封装');
  });

  it('does not count the half word before a line-end hyphen as a word', () => {
    const words = vocabularyOf('we present an al-');
    expect(words.has('al')).toBe(false);
    expect(words.has('present')).toBe(true);
  });
});

describe('joinAdjacent: pieces on one baseline', () => {
  it('inserts a space at a word-sized gap or where pdf.js marked one, not at kerning', () => {
    expect(joinAdjacent([piece('Since the', 0, 50), piece('inception', 51, 90, true)])).toBe('Since the inception');
    expect(joinAdjacent([piece('Since the', 0, 50), piece('inception', 53, 90)])).toBe('Since the inception');
    expect(joinAdjacent([piece('L', 0, 6), piece('A', 5, 9), piece('TEX', 9.5, 25)])).toBe('LATEX');
  });

  it('never puts a space between two CJK characters', () => {
    expect(joinAdjacent([piece('欢迎使用', 0, 40), piece('本章', 45, 65, true)])).toBe('欢迎使用本章');
    expect(joinAdjacent([piece('欢迎使用', 0, 40), piece('LATEX', 43, 65, true)])).toBe('欢迎使用 LATEX');
  });

  it('reads a right-to-left line from right to left', () => {
    // Visual order left to right is the reverse of the logical order of an Arabic line.
    const line = joinAdjacent([piece('العربية', 0, 60), piece('الخطوط', 70, 120, true), piece('انواع', 130, 170, true)]);
    expect(line).toBe('انواع الخطوط العربية');
  });
});

describe('text clean-up', () => {
  it('composes TeX spacing accents with the following letter', () => {
    expect(composeAccents('a na¨ıve approach')).toBe('a naïve approach');
    expect(composeAccents('caf´e')).toBe('café');
    expect(composeAccents('2 ¨ 3')).toBe('2 ¨ 3');
  });

  it('closes spaces between CJK characters only', () => {
    expect(closeCjkSpaces('第三章 文档元素 and LaTeX 排版')).toBe('第三章文档元素 and LaTeX 排版');
  });
});
