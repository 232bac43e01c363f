// Chapter lines in plain text: "CHAPTER XII.", "Chapter 1. Loomings.", "BOOK I", "PART ONE",
// "I. A SCANDAL IN BOHEMIA", "PREFACE.", "第十二回 …", "第一章 总则", "第三编 合同". A line is
// only a candidate; the caller decides whether it stands alone. Levels come from the kinds
// present in the document (book above chapter above section), not from fixed numbers.
import type { BlockKind } from '../document.js';

export interface TextBlock {
  kind: BlockKind;
  level: number;
  text: string;
  /** Set on headings found by the chapter-line patterns; lower ranks sit higher. */
  chapterRank?: number;
  /** A line of a table of contents (a block of lines that are mostly chapter lines). */
  contents?: boolean;
}

const NUMBER_WORDS = [
  'ONE', 'TWO', 'THREE', 'FOUR', 'FIVE', 'SIX', 'SEVEN', 'EIGHT', 'NINE', 'TEN', 'ELEVEN', 'TWELVE',
  'THIRTEEN', 'FOURTEEN', 'FIFTEEN', 'SIXTEEN', 'SEVENTEEN', 'EIGHTEEN', 'NINETEEN', 'TWENTY',
  'THIRTY', 'FORTY', 'FIFTY', 'FIRST', 'SECOND', 'THIRD', 'FOURTH', 'FIFTH', 'SIXTH', 'SEVENTH',
  'EIGHTH', 'NINTH', 'TENTH', 'ELEVENTH', 'TWELFTH', 'LAST',
];
/** Both "CHAPTER" and "Chapter": a heading is set in capitals or in title case. */
const bothCases = (words: string[]) => words.flatMap((w) => [w, w[0] + w.slice(1).toLowerCase()]).join('|');
const WORD_NUMBER = `(?:${bothCases(NUMBER_WORDS)})`;
const NUMBER = `(?:[IVXLCDM]+|\\d{1,4}|(?:(?:THE|The|the)\\s+)?${WORD_NUMBER}(?:[-\\s]${WORD_NUMBER})?)`;
// After the number: nothing, or punctuation and a short title.
const TAIL = '(?:[.:]?|[.:]?\\s*[-—–:.]?\\s+\\S.{0,70})';
const keyword = (...words: string[]) => `(?:${bothCases(words)})`;

const ENGLISH: Array<{ re: RegExp; rank: number }> = [
  { re: new RegExp(`^${keyword('VOLUME', 'BOOK', 'PART')}\\s+${NUMBER}\\b${TAIL}$`), rank: 1 },
  { re: new RegExp(`^${keyword('CHAPTER', 'STAVE', 'CANTO', 'LETTER', 'ACT')}\\s+${NUMBER}\\b${TAIL}$`), rank: 2 },
  {
    re: new RegExp(
      `^${keyword('PREFACE', 'PROLOGUE', 'EPILOGUE', 'PRELUDE', 'FINALE', 'INTRODUCTION', 'FOREWORD', 'AFTERWORD', 'CONCLUSION', 'ETYMOLOGY', 'EXTRACTS', 'CONTENTS', 'APPENDIX')}(?: [A-Z0-9]{1,4})?\\.?(?:\\s+\\(.{1,60}\\)\\.?)?$`,
    ),
    rank: 2,
  },
  { re: new RegExp(`^${keyword('SECTION')}\\s+${NUMBER}\\b${TAIL}$`), rank: 3 },
  // A Roman numeral and a title in capitals: the stories of a collection.
  { re: /^[IVXLC]{1,7}\.\s+[\p{Lu}\d][\p{Lu}\d\s’'",;:!?&.-]{2,70}$/u, rank: 2 },
  // A bare Roman numeral: the parts of a chapter.
  { re: /^(?:[IVXLC]{1,7}\.|[IVXLC]{2,7})$/, rank: 3 },
];

const CJK_NUMBER = '[零〇一二三四五六七八九十百千万两\\d０-９]+';
const CJK_UNIT_RANK: Record<string, number> = {
  部: 0, 卷: 0, 集: 0, 编: 1, 編: 1, 篇: 1, 分编: 1.5, 章: 2, 回: 2, 幕: 2, 节: 3, 節: 3,
};
const CJK = new RegExp(`^第${CJK_NUMBER}(分编|[部卷集编編篇章回幕节節])(?:[\\s\\u3000:：·.、]*(\\S.{0,40}))?$`);
const CJK_MATTER = /^(?:序|序言|前言|引子|楔子|尾声|后记|後記|跋|附录|目录)$/;

/** The rank of a chapter line, or null when the line is not one. */
export function chapterRank(line: string): number | null {
  if (line.length > 120) return null;
  const text = stripDecoration(line);
  if (text.length === 0 || text.length > 90) return null;
  const cjk = CJK.exec(text);
  // A sentence that merely starts with "第一章…" ends in sentence punctuation; a heading does not.
  if (cjk) return /[。；，？！,;]$/.test(text) ? null : CJK_UNIT_RANK[cjk[1]];
  if (CJK_MATTER.test(text)) return 2;
  for (const { re, rank } of ENGLISH) if (re.test(text)) return rank;
  return null;
}

/** The text of a chapter line without the brackets, underscores or asterisks around it. */
export function stripDecoration(line: string): string {
  return line
    .trim()
    .replace(/^[[_*=#\s]+/, '')
    .replace(/[\]_*=\s]+$/, '')
    .trim();
}

/** The heading of the contents list stays a heading. */
const CONTENTS_TITLE = /^(?:contents|table of contents|目录)\.?$/i;

const isCandidate = (b: TextBlock | undefined): boolean => b?.chapterRank !== undefined;
const inRun = (b: TextBlock | undefined): boolean => isCandidate(b) || b?.contents === true;

/**
 * Settles chapter-line headings as blocks come. Chapter lines with nothing between them are a
 * table of contents when there are three or more, or when they touch lines already known to be
 * one: they become list items, except the last when body text follows it (the first real heading
 * often comes straight after the contents). The rest get levels by rank among the ranks the whole
 * document has, known only at its end: `levelOf` gives them then. Only a run of chapter lines is
 * held, until the block after it shows what it is.
 */
export class ChapterSettler {
  private run: TextBlock[] = [];
  private readonly ranks = new Set<number>();

  constructor(private readonly emit: (block: TextBlock) => void) {}

  add(block: TextBlock): void {
    if (inRun(block)) {
      this.run.push(block);
      return;
    }
    this.settleRun(block);
    this.emit(block);
  }

  finish(): void {
    this.settleRun(undefined);
  }

  /** A chapter heading's level: its rank's place among the ranks of the headings emitted. */
  levelOf(rank: number): number {
    const sorted = [...this.ranks].sort((a, b) => a - b);
    return Math.min(6, sorted.indexOf(rank) + 1);
  }

  private settleRun(next: TextBlock | undefined): void {
    const run = this.run;
    if (run.length === 0) return;
    this.run = [];
    const candidates = run.filter(isCandidate).length;
    if (candidates >= 3 || (candidates > 0 && run.some((b) => b.contents))) {
      const keepLast = isCandidate(run[run.length - 1]) && next?.kind === 'paragraph';
      for (let k = 0; k < (keepLast ? run.length - 1 : run.length); k++) {
        if (isCandidate(run[k]) && !CONTENTS_TITLE.test(run[k].text)) run[k] = { kind: 'list', level: 0, text: run[k].text };
      }
    }
    for (const block of run) {
      if (isCandidate(block)) this.ranks.add(block.chapterRank as number);
      this.emit(block);
    }
  }
}

/** The whole list of blocks settled (Markdown, which is parsed whole). */
export function settleChapterHeadings(blocks: TextBlock[]): TextBlock[] {
  const out: TextBlock[] = [];
  const settler = new ChapterSettler((b) => out.push(b));
  for (const block of blocks) settler.add(block);
  settler.finish();
  for (const block of out) if (isCandidate(block)) block.level = settler.levelOf(block.chapterRank as number);
  return out;
}
