// Questions made from a document's own structure, to train the ranker and the decline model
// without the evaluation's questions (issue 20):
// - typed: a sentence's date, sum, duration, percentage or number blanked and replaced by its
//   question word ("How long …?", "多久"), with some content words dropped and some replaced by
//   words from elsewhere in the document, so that copying the sentence cannot win;
// - definition: a defined term and its definition → "What is <term>?" / "什么是<term>？";
// - heading: a section's heading and one of its sentences → "What does <heading> say about <its
//   two rarest words>?";
// - cloze: inverse cloze, a sentence (words dropped) asked for its neighbours, the sentence itself
//   left out of the candidates.
// Each question names the sentences whose quote answers it. Deterministic for a given seed.
import { holdsType, type AnswerType } from '../../main/core/answer/answer-types.js';
import type { SentenceIndex } from '../../main/core/answer/sentence-index.js';
import { STOP_WORDS, termsOf } from '../../main/core/answer/terms.js';
import { chineseWords } from '../../main/core/answer/chinese-words.js';
import { seededRandom, shuffleInPlace } from '../support/seeded-random.js';

export type SyntheticKind = 'typed' | 'definition' | 'heading' | 'cloze';

export interface SyntheticQuestion {
  text: string;
  kind: SyntheticKind;
  /** Units a right answer's quote holds. */
  answers: number[];
  /** Units left out of the candidates (the inverse cloze's own sentence). */
  exclude: number[];
}

const MONTH = '(?:January|February|March|April|May|June|July|August|September|October|November|December)';
const COUNT = String.raw`(?:\d[\d,]*(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|sixty|ninety)`;

/** English typed spans, most specific first, each with the question words that ask for it. */
export const EN_TYPED: Array<[RegExp, string]> = [
  [/\b\d+(?:\.\d+)?\s?(?:%|percent\b)/u, 'What percentage'],
  [/[$€£]\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:million|billion))?/u, 'How much'],
  [new RegExp(String.raw`\b${COUNT}(?:\s*\(\d+\))?[\s-]+(?:business |calendar )?(?:days?|weeks?|months?|years?|hours?|minutes?)\b`, 'iu'), 'How long'],
  [new RegExp(String.raw`\b${MONTH}(?: \d{1,2},)? \d{4}\b|\b(?:1[6-9]\d\d|20\d\d)\b`, 'u'), 'When'],
  // Not a section, figure, table or reference number: those are labels, not answers.
  [/(?<!\b(?:Section|Sections|Figure|Fig\.|Table|Article|Chapter|Appendix|Exhibit|Schedule|Eq\.|§) ?)(?<![[(,.\d]\s?)\b\d[\d,]*(?:\.\d+)?\b(?![\]\d)]|\.\d)/u, 'How many'],
];

const ZH_NUMBER = '[零〇一二两三四五六七八九十百千万\\d]';
export const ZH_TYPED: Array<[RegExp, string]> = [
  [new RegExp(`百分之${ZH_NUMBER}+|\\d+(?:\\.\\d+)?%`, 'u'), '百分之多少'],
  [new RegExp(`${ZH_NUMBER}+(?:元|万元|两银子|两)`, 'u'), '多少钱'],
  [new RegExp(`${ZH_NUMBER}{1,4}年${ZH_NUMBER}{1,2}月(?:${ZH_NUMBER}{1,3}日)?`, 'u'), '什么时候'],
  [new RegExp(`${ZH_NUMBER}+(?:日|天|个月|年|小时|周)(?:内|以内)?`, 'u'), '多长时间'],
  // "一回", "一个" are mostly "once", "a": a count starts with another numeral.
  [new RegExp(`(?:一${ZH_NUMBER}|[零〇二两三四五六七八九十百千万\\d])${ZH_NUMBER}*(?:个|名|次|人|种|项|倍|两|件|年)`, 'u'), '多少'],
];

const EN_DEFINITION = /["“]([^"”]{2,50})["”]\s+(?:means|shall mean|has the meaning|refers to)\b|\b([A-Z][\w-]+(?: [A-Z][\w-]+){0,3}) (?:means|is defined as|refers to)\b/u;
const ZH_DEFINITION = /([\u4e00-\u9fff]{2,14})(?:是指|指的是)/u;

export interface Word {
  text: string;
  content: boolean;
}

/** A text's words, each marked content or function word (Chinese: jieba's words, content when of two characters or more). */
export function wordsOf(text: string, zh: boolean): Word[] {
  return zh ? chineseTokens(text) : englishWords(text);
}

function englishWords(text: string): Word[] {
  return (text.match(/[\p{L}\p{N}][\p{L}\p{N}'’.,-]*[\p{L}\p{N}]|[\p{L}\p{N}]/gu) ?? []).map((w) => ({
    text: w,
    content: !STOP_WORDS.has(w.toLowerCase()) && /\p{L}/u.test(w),
  }));
}

function chineseTokens(text: string): Word[] {
  return chineseWords(text)
    .filter((w) => /[\p{L}\p{N}]/u.test(w))
    .map((w) => ({ text: w, content: [...w].length >= 2 }));
}

/**
 * Some content words dropped (each with `drop`) and some replaced by a content word of another
 * sentence (each with `swap`), function words thinned: a paraphrase's lexical footprint, roughly.
 */
export function perturb(words: Word[], random: () => number, elsewhere: () => string | null, drop: number, swap: number): string[] {
  const out: string[] = [];
  for (const w of words) {
    const r = random();
    if (w.content) {
      if (r < drop) continue;
      if (r < drop + swap) {
        const other = elsewhere();
        if (other !== null) out.push(other);
        continue;
      }
      out.push(w.text);
    } else if (r < 0.6) out.push(w.text);
  }
  return out;
}

export interface GeneratorOptions {
  seed: number;
  /** Questions of each kind at most. */
  perKind: Record<SyntheticKind, number>;
}

export const DEFAULT_GENERATOR: GeneratorOptions = { seed: 20261205, perKind: { typed: 30, definition: 8, heading: 10, cloze: 12 } };

export function synthesize(index: SentenceIndex, options: GeneratorOptions = DEFAULT_GENERATOR): SyntheticQuestion[] {
  const random = seededRandom(options.seed ^ index.units.length);
  const zh = index.language === 'zh';
  const sentence = (u: number): string => index.text.slice(index.units[u].start, index.units[u].end).replace(/\s+/g, ' ').trim();
  const words = (text: string): Word[] => wordsOf(text, zh);
  const join = (ws: string[]): string => (zh ? ws.join('') : ws.join(' '));
  const elsewhere = (): string | null => {
    const u = Math.floor(random() * index.units.length);
    const ws = words(sentence(u)).filter((w) => w.content);
    return ws.length === 0 ? null : ws[Math.floor(random() * ws.length)].text;
  };
  // Sentences long enough to ask about, in a shuffled but fixed order.
  const order = shuffleInPlace(index.units.map((_, i) => i).filter((i) => index.units[i].terms.length >= 6), random);
  const out: SyntheticQuestion[] = [];
  const count: Record<SyntheticKind, number> = { typed: 0, definition: 0, heading: 0, cloze: 0 };
  const used = new Set<number>();
  const push = (q: SyntheticQuestion, u: number): void => {
    if (termsOf(q.text).length < 2) return;
    out.push(q);
    count[q.kind]++;
    used.add(u);
  };
  for (const u of order) {
    if (used.has(u)) continue;
    const text = sentence(u);
    if (count.definition < options.perKind.definition) {
      const q = definitionQuestion(text, zh);
      if (q !== null) {
        push({ text: q, kind: 'definition', answers: [u], exclude: [] }, u);
        continue;
      }
    }
    if (count.typed < options.perKind.typed) {
      const q = typedQuestion(text, zh, (ws) => join(perturb(ws, random, elsewhere, 0.3, 0.1)));
      if (q !== null) {
        push({ text: q, kind: 'typed', answers: [u], exclude: [] }, u);
        continue;
      }
    }
    const path = index.sections[index.units[u].section].path;
    const heading = path.length > 0 ? path[path.length - 1].replace(/^[\d.\s§]+|[:：]$/gu, '').trim() : '';
    if (count.heading < options.perKind.heading && heading.length >= 3 && heading.length <= 60 && random() < 0.5) {
      const rare = rarestWords(index, words(text), 2);
      if (rare.length === 2) {
        const q = zh ? `${heading}中关于${rare.join('')}说了什么？` : `What does ${heading} say about ${rare.join(' and ')}?`;
        push({ text: q, kind: 'heading', answers: [u], exclude: [] }, u);
        continue;
      }
    }
    if (count.cloze < options.perKind.cloze) {
      const near = [u - 1, u + 1].filter((n) => n >= 0 && n < index.units.length && index.units[n].block === index.units[u].block);
      if (near.length > 0) {
        const kept = perturb(words(text), random, elsewhere, 0.4, 0.05);
        push({ text: join(kept.slice(0, 16)) + (zh ? '？' : '?'), kind: 'cloze', answers: near, exclude: [u] }, u);
      }
    }
    if (Object.entries(count).every(([k, n]) => n >= options.perKind[k as SyntheticKind])) break;
  }
  return out;
}

/** "What is <term>?" for a sentence that defines a term, else null. */
export function definitionQuestion(text: string, zh: boolean): string | null {
  if (zh) {
    const m = ZH_DEFINITION.exec(text);
    if (m === null) return null;
    const term = m[1].replace(/^.*?(?:所称|所说的|本法|本条|本解释)/u, '');
    return term.length >= 2 ? `什么是${term}？` : null;
  }
  const m = EN_DEFINITION.exec(text);
  if (m === null) return null;
  const term = (m[1] ?? m[2]).trim();
  return termsOf(term).length > 0 ? `What is ${/^[A-Z]/.test(term) ? term : `"${term}"`}?` : null;
}

/**
 * A typed span of the sentence blanked: the question word first (English) or in the span's place
 * (Chinese), around it at most eight words each side, perturbed by `rewrite`. Null without a span.
 */
export function typedQuestion(text: string, zh: boolean, rewrite: (words: Word[]) => string): string | null {
  for (const [pattern, asks] of zh ? ZH_TYPED : EN_TYPED) {
    const m = pattern.exec(text);
    if (m === null) continue;
    const before = wordsOf(text.slice(0, m.index), zh).slice(-8);
    const after = wordsOf(text.slice(m.index + m[0].length), zh).slice(0, 8);
    if (zh) return `${rewrite(before)}${asks}${rewrite(after)}？`;
    const rest = rewrite([...before, ...after]);
    return rest.length === 0 ? null : `${asks} ${rest}?`;
  }
  return null;
}

/** The sentence's `n` content words rarest in the document (by their terms' IDF). */
function rarestWords(index: SentenceIndex, words: Word[], n: number): string[] {
  const scored = words
    .filter((w) => w.content && /\p{L}/u.test(w.text))
    .map((w) => ({ w: w.text, idf: Math.max(0, ...termsOf(w.text).map((t) => index.idf(t))) }))
    .filter((x) => x.idf > 0);
  const seen = new Set<string>();
  return scored
    .sort((a, b) => b.idf - a.idf)
    .filter((x) => !seen.has(x.w.toLowerCase()) && seen.add(x.w.toLowerCase()))
    .slice(0, n)
    .map((x) => x.w);
}

const ASKED_TYPES: Array<[AnswerType, string, string]> = [
  ['number', 'How many', '有多少'],
  ['date', 'When', '什么时候'],
  ['money', 'How much', '多少钱'],
  ['duration', 'How long', '多长时间'],
  ['percent', 'What percentage', '百分之多少'],
];

/**
 * Questions the document cannot answer, for the decline model: questions made from another
 * document of the same language; this document's own questions with their rarest term swapped
 * for a word this document never uses; and, closest to what readers ask, a sentence's own words
 * asked for a kind of answer (a number, a date, a sum) that neither it nor its neighbours hold
 * (`mismatched` of them).
 */
export function unanswerable(index: SentenceIndex, own: SyntheticQuestion[], foreign: SyntheticQuestion[], foreignWords: string[], seed: number, mismatched = 0): string[] {
  const random = seededRandom(seed ^ index.units.length);
  const out: string[] = [];
  const zh = index.language === 'zh';
  for (let tries = 0, made = 0; made < mismatched && tries < 20 * mismatched && index.units.length > 0; tries++) {
    const u = Math.floor(random() * index.units.length);
    if (index.units[u].terms.length < 6) continue;
    const [type, en, chinese] = ASKED_TYPES[Math.floor(random() * ASKED_TYPES.length)];
    const around = index.text.slice(index.units[Math.max(0, u - 1)].start, index.units[Math.min(index.units.length - 1, u + 1)].end);
    if (holdsType(around, type)) continue;
    const words = wordsOf(index.text.slice(index.units[u].start, index.units[u].end), zh).filter((w) => w.content || random() < 0.5);
    const kept = words.filter(() => random() >= 0.3).slice(0, 12).map((w) => w.text);
    if (kept.length < 3) continue;
    out.push(zh ? `${kept.join('')}${chinese}？` : `${en} ${kept.join(' ')}?`);
    made++;
  }
  for (const q of foreign) if (q.kind !== 'cloze') out.push(q.text);
  const absent = foreignWords.filter((w) => termsOf(w).length > 0 && termsOf(w).every((t) => !index.postings.has(t)));
  if (absent.length === 0) return out;
  for (const q of own) {
    if (q.kind === 'cloze') continue;
    const rare = rarestWords(index, wordsOf(q.text, index.language === 'zh'), 1);
    if (rare.length === 0) continue;
    const swapped = q.text.replace(rare[0], absent[Math.floor(random() * absent.length)]);
    if (swapped !== q.text) out.push(swapped);
  }
  return out;
}
