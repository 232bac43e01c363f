// Chinese and Japanese text has no spaces between words, so anything that counts or indexes
// "words" has to treat it separately: passages count its characters, and the full-text index
// sees it as overlapping character bigrams (a 2-character query is then one term, and a longer
// one a run of bigrams that the phrase boost can match in order).

/** Han ideographs and kana: the scripts written without spaces between words (a character-class body). */
export const CJK_SCRIPTS = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}';
const CJK_CHAR = new RegExp(`[${CJK_SCRIPTS}]`, 'u');
const CJK_RUN = new RegExp(`[${CJK_SCRIPTS}]+`, 'gu');
const FULLWIDTH_PUNCTUATION_ONLY = /^[\u3000-\u303f\uff00-\uffef\u2018\u2019\u201c\u201d\u2026\u2014]+$/;

export function isCjkChar(ch: string): boolean {
  return CJK_CHAR.test(ch);
}

export function countCjkChars(text: string): number {
  let n = 0;
  for (const m of text.matchAll(CJK_RUN)) n += [...m[0]].length;
  return n;
}

/**
 * The size of a piece of text in "words": whitespace-separated tokens, plus half a word per CJK
 * character (a Chinese word averages about two characters, so 300–600 characters make a
 * passage of 150–300 words and mixed text is measured smoothly). Chinese punctuation left
 * between CJK runs is not a word.
 */
export function wordUnits(text: string): number {
  let cjk = 0;
  const rest = text.replace(CJK_RUN, (run) => {
    cjk += [...run].length;
    return ' ';
  });
  let words = 0;
  for (const token of rest.split(/\s+/)) if (token !== '' && !FULLWIDTH_PUNCTUATION_ONLY.test(token)) words++;
  return words + cjk / 2;
}

/**
 * Rewrites every run of CJK characters as space-separated overlapping bigrams ("红楼梦" →
 * "红楼 楼梦"); a lone character stays as it is. Other text passes through unchanged, so an
 * FTS5 unicode61 tokenizer then indexes bigrams for Chinese and words for everything else.
 * The same transform applied to queries makes their terms line up with the index.
 */
export function cjkBigrams(text: string): string {
  return text.replace(CJK_RUN, (run) => ` ${runBigrams(run).join(' ')} `);
}

/** The bigrams of one run of CJK characters (the character itself for a run of one). */
export function runBigrams(run: string): string[] {
  const chars = [...run];
  if (chars.length === 1) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
  return out;
}
