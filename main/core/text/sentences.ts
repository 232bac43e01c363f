// Sentence boundaries for English (legal and academic prose included) and Chinese, as offsets
// into the text so that a quote can be mapped back to its page and highlighted exactly.
//
// A boundary is a run of terminators (. ! ? … 。 ！ ？ ；), plus any closing quotes or brackets,
// that the context confirms. Chinese terminators always end a sentence; an English period does
// only when the next word starts with something other than a lower-case letter and the word
// before it is not an abbreviation, an initial or a clause number. Blank lines and list markers
// at the start of a line are hard breaks.
import { isCjkChar } from './cjk.js';

export interface Span {
  start: number;
  end: number;
}

const CANDIDATE =
  /\n[ \t]*\n|\n(?=[ \t]*(?:[-•*–]|\(?\d{1,3}[.)]|\([a-z]\)|\([ivx]+\))[ \t])|[.!?…。！？；]+/g;
const TERMINATOR = /[.!?…。！？；]/;
const CJK_TERMINATOR = /[。！？；]/;
const CLOSERS = new Set(['"', "'", '”', '’', '」', '』', '）', ')', ']', '»', '›', '】', '〕', '》']);
const OPENERS = /^[“‘"'([«‹「『（【〔《]+/;

/** Never end a sentence: titles and Latin abbreviations that always precede more text. */
const TITLES = new Set(
  (
    'mr mrs ms messrs mmes mme mlle dr prof rev fr hon gen col capt lt sgt maj cmdr adm gov sen rep ' +
    'pres supt insp det st mt ft e.g i.e cf vs v viz ca approx resp'
  ).split(' '),
);

/** Do not end a sentence when a number (or a bracketed or roman one) follows: "Sec. 4.2(b)". */
const NUMBERED = new Set(
  (
    'no nos fig figs eq eqs sec secs ch chap chs art arts vol vols pt pts p pp para paras cl cls ' +
    'ss sch tab tbl ex exh app n nn ref refs r ed eds jan feb mar apr jun jul aug sep sept oct nov dec'
  ).split(' '),
);

/** May end a sentence, but usually do not: end one only before a typical sentence opener. */
const SOFT = new Set('inc ltd co corp llc plc bros jr sr esq al etc dept univ assn ave blvd rd'.split(' '));

/** Words that often open a sentence; after an initial or a soft abbreviation they signal a break. */
const STARTERS = new Set(
  (
    'the a an this that these those there then he she it they we i you his her its their our my ' +
    'in on at for but and however if when while as after before since although though thus ' +
    'moreover furthermore each all what who why how where one some many such to by with from ' +
    'under upon any every both nor so yet accordingly finally first second also no not only ' +
    'here now nevertheless therefore because during unless until whether'
  ).split(' '),
);

/** A clause number or label with nothing after it yet: "1", "4.2", "(a)", "IV", "Section 3". */
const ENUMERATOR =
  /^(?:\(?\d{1,3}(?:\.\d{1,3})*\)?|\(?[A-Za-z]\)?|\(?[ivxlcdmIVXLCDM]{1,6}\)?|§+\s*\d+(?:\.\d+)*|(?:section|article|clause|chapter|part|schedule|exhibit|sec|art)\s+[\dIVXivx]+(?:\.\d+)*)$/i;
const INITIALISM = /^(?:\p{L}{1,2}\.)+\p{L}{1,2}$/u;

export function splitSentences(text: string): Span[] {
  const spans: Span[] = [];
  let sentenceStart = 0;
  const cut = (at: number): void => {
    let s = sentenceStart;
    let e = at;
    while (s < e && /\s/.test(text[s])) s++;
    while (e > s && /\s/.test(text[e - 1])) e--;
    if (e > s) spans.push({ start: s, end: e });
    sentenceStart = at;
  };
  for (const m of text.matchAll(CANDIDATE)) {
    const i = m.index;
    if (m[0][0] === '\n') {
      cut(i);
      continue;
    }
    const j = i + m[0].length;
    let k = j;
    while (k < text.length && CLOSERS.has(text[k])) k++;
    if (endsSentence(text, sentenceStart, i, j, k)) cut(k);
  }
  cut(text.length);
  return spans;
}

/** Whether the terminators text[i, j), followed by closers up to k, end a sentence. */
function endsSentence(text: string, sentenceStart: number, i: number, j: number, k: number): boolean {
  if (k >= text.length) return true;
  const after = text[k];
  // A terminator right after the closers ("?)." or "。”。") decides instead of this one.
  if (TERMINATOR.test(after)) return false;
  const run = text.slice(i, j);
  if (CJK_TERMINATOR.test(run)) return true;
  if (isCjkChar(after)) return true;
  if (!/\s/.test(after)) return false; // 3.14, e.g., U.S.A, "…，"

  const nextToken = /\S+/.exec(text.slice(k, k + 200));
  if (nextToken === null) return true;
  // A stray closer after a space ("宝.. ”。") still belongs to this sentence.
  if (CLOSERS.has(nextToken[0][0]) && !OPENERS.test(nextToken[0])) return false;
  const nextWord = nextToken[0].replace(OPENERS, '');
  const first = nextWord.length > 0 ? nextWord[0] : nextToken[0][0];
  if (/\p{Ll}/u.test(first)) return false;
  if (TERMINATOR.test(first)) return false; // spaced ellipsis ". . ."
  if (/[!?]/.test(run) || run.length > 1 || run === '…') return true;

  // A single period: look at the word it ends and at what the sentence holds so far.
  if (ENUMERATOR.test(text.slice(sentenceStart, i).trim())) return false;
  let p = i;
  while (p > sentenceStart && !/\s/.test(text[p - 1])) p--;
  const word = text.slice(p, i).replace(OPENERS, '');
  const lower = word.toLowerCase();
  if (TITLES.has(lower)) return false;
  if (NUMBERED.has(lower) && /^(?:[\d(§]|[IVXLC]+\b|[A-Z]\d)/.test(nextWord)) return false;
  const opensSentence = STARTERS.has(nextWord.replace(/[^\p{L}]+$/u, '').toLowerCase());
  if (/^\p{L}$/u.test(word) || INITIALISM.test(word)) return opensSentence;
  if (SOFT.has(lower)) return opensSentence;
  return true;
}
