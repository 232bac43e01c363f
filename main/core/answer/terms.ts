// The terms that questions and sentences are matched on. English: lower-cased words with a light
// suffix-stripping stem ("termination" and "terminate" meet), number words as digits, function
// words dropped. Chinese: jieba's words (prefixed "w:") plus the character bigrams of each run,
// so a paraphrase that jieba segments differently still shares bigrams with the text.
import { CJK_SCRIPTS, isCjkChar, runBigrams } from '../text/cjk.js';
import { chineseWords } from './chinese-words.js';

/** A letter or digit of a script written with spaces (not CJK). */
const SPACED = `(?:(?![${CJK_SCRIPTS}])[\\p{L}\\p{N}])`;
const TOKEN = new RegExp(`[${CJK_SCRIPTS}]+|${SPACED}+(?:[.,'’]${SPACED}+)*`, 'gu');

/** Function words and question words: they say how a question is asked, not what it is about. */
export const STOP_WORDS = new Set(
  (
    'a an the and or but nor of in on at to for from by with about into onto over under after before ' +
    'between through during without within than then as if so that this these those there here it its ' +
    'is are was were be been being am do does did done have has had having can could shall should will ' +
    'would may might must i me my we our us you your he him his she her they them their what which who ' +
    'whom whose when where why how not no any all some such each other more most very just also only ' +
    'own same too up out off again once both either neither many much long according get gets got say ' +
    'says said kind sort way ever whether mean means one s t'
  ).split(' '),
);

/** Chinese function and question words, dropped from the words and breaking the bigram runs. */
const CHINESE_STOP = new Set(
  (
    '的 了 是 在 和 与 及 或 等 什么 哪 哪些 哪个 哪一 哪种 多少 多久 多长 几 几天 怎么 怎样 如何 吗 呢 吧 啊 ' +
    '谁 为什么 为何 要 会 能 能够 可以 应当 应该 时 时候 如果 这 那 这个 那个 里 中 上 下 对 把 被 就 都 也 还 又 ' +
    '有 没有 一 个 之 其 该 所 以 而 由 从 向 给 让 叫 得 地 着 过 我 我们 你 他 她 它 他们 ' +
    '是否 能否 可否 是不是 需要 必须 何时 什么时候 哪里 哪儿 多大 多高 多远'
  ).split(' '),
);

const NUMBER_WORDS: Record<string, string> = {
  one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9', ten: '10',
  eleven: '11', twelve: '12', fifteen: '15', twenty: '20', thirty: '30', forty: '40', fifty: '50', sixty: '60',
  ninety: '90', hundred: '100', first: '1', second: '2', third: '3',
};

const SUFFIXES: Array<[string, string]> = [
  ['ational', 'ate'], ['ization', 'ize'], ['ations', 'ate'], ['ation', 'ate'], ['ities', ''], ['ity', ''],
  ['nesses', ''], ['ness', ''], ['ments', ''], ['ment', ''], ['ingly', ''], ['edly', ''], ['ings', ''], ['ing', ''],
  ['ies', 'y'], ['ied', 'y'], ['ers', ''], ['er', ''], ['ed', ''], ['ly', ''], ['es', ''], ['s', ''],
];

/** A light stem: one suffix off when at least three letters remain, a final e and a doubled letter undone. */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let w = word;
  if (!/(?:ss|us|is)$/.test(w)) {
    for (const [suffix, replacement] of SUFFIXES) {
      if (w.endsWith(suffix) && w.length - suffix.length >= 3) {
        w = w.slice(0, w.length - suffix.length) + replacement;
        break;
      }
    }
  }
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  if (w.length > 3 && /([b-df-hj-np-tv-z])\1$/.test(w) && !w.endsWith('ll') && !w.endsWith('ss')) w = w.slice(0, -1);
  return w;
}

/** A text's terms in order (repeats kept: term frequency and phrases need them). */
export function termsOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.normalize('NFKC').matchAll(TOKEN)) {
    const token = m[0];
    if (isCjkChar(token[0])) {
      out.push(...chineseTerms(token));
      continue;
    }
    const lower = token.toLowerCase().replace(/[’']s$/, '').replace(/,(?=\d{3}\b)/g, '');
    if (STOP_WORDS.has(lower)) continue;
    out.push(NUMBER_WORDS[lower] ?? stem(lower));
  }
  return out;
}

function chineseTerms(run: string): string[] {
  const out: string[] = [];
  let content = '';
  const flush = (): void => {
    if (content.length > 0) out.push(...runBigrams(content).filter((b) => [...b].length === 2));
    content = '';
  };
  for (const word of chineseWords(run)) {
    if (CHINESE_STOP.has(word)) {
      flush();
      continue;
    }
    if ([...word].length >= 2) out.push(`w:${word}`);
    content += word;
  }
  flush();
  return out;
}

/** The script a text is written in: 'zh' when CJK characters make up at least a fifth of its letters. */
export function scriptOf(text: string): 'zh' | 'en' | null {
  let cjk = 0;
  let letters = 0;
  for (const ch of text) {
    if (isCjkChar(ch)) cjk++;
    else if (/\p{L}/u.test(ch)) letters++;
  }
  // A CJK character carries about as much as a short word, a Latin letter a fifth of one.
  if (cjk === 0 && letters === 0) return null;
  return cjk * 5 >= letters ? 'zh' : 'en';
}

/** How much of the start of a document decides its language: a caller may read only this much. */
export const LANGUAGE_SAMPLE_CHARS = 200_000;

/** A document's language for answering: its script over the first LANGUAGE_SAMPLE_CHARS characters ('en' when it has no letters). */
export function documentLanguage(text: string): 'en' | 'zh' {
  return scriptOf(text.slice(0, LANGUAGE_SAMPLE_CHARS)) ?? 'en';
}
