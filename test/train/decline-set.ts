// A set of answerable and unanswerable questions for the decline rule, made from documents that
// no development question is about (corpus.ts, and the Chinese service contract), never from the
// evaluation's questions (issue 20). The development set has 8 unanswerable questions a half, so
// one question moves a half's figure by 12.5 points; this set has hundreds. Sorts:
// - answerable: typed (a typed span blanked and asked for, as synthetic-questions.ts does, but
//   "How many" followed by the counted word, as readers ask), definition and heading
//   (synthetic-questions.ts), and paraphrased: a typed question with half its content words
//   dropped, some swapped for words from elsewhere and the rest shuffled, so that copying the
//   sentence cannot carry it;
// - unanswerable, the easy kind: foreign, questions made from another document of the same kind
//   (a contract's asked of another contract, a paper's of another paper);
// - unanswerable, the hard kind the development set's are (the document names the thing but not
//   the asked fact): removed, a typed question asked with its answer sentence and the two around
//   it taken out of the candidates (skipped when the blanked value occurs anywhere else in the
//   document), and mismatched, a sentence's own words asked for a kind of answer (a number, a
//   date, a sum) that neither it nor its neighbours hold.
// - finer (answerable) and finer-removed (unanswerable, 2026-12-05): a name, a person or a rate
//   blanked and asked for ("What is the name of …", "Who …", "How many … per year", "…叫什么",
//   "每年…多少天"), the second with its sentence and the two around it taken out of the candidates
//   (only when the blanked value occurs nowhere else): the document names the thing but gives no
//   name or rate for it, the kind of question the development set's hardest unanswerable ones are.
//   Their own random stream, so that the sorts above are the same questions as before.
// Deterministic for a seed.
import type { SentenceIndex } from '../../main/core/answer/sentence-index.js';
import { termsOf } from '../../main/core/answer/terms.js';
import { seededRandom, shuffleInPlace } from '../support/seeded-random.js';
import { TRAINING_DOCUMENTS } from './corpus.js';
import { EN_TYPED, perturb, synthesize, unanswerable, wordsOf, ZH_TYPED, type Word } from './synthetic-questions.js';

export type DeclineSort = 'typed' | 'definition' | 'heading' | 'paraphrased' | 'finer' | 'foreign' | 'removed' | 'mismatched' | 'finer-removed';
export const ANSWERABLE_SORTS: DeclineSort[] = ['typed', 'definition', 'heading', 'paraphrased', 'finer'];
export const UNANSWERABLE_SORTS: DeclineSort[] = ['foreign', 'removed', 'mismatched', 'finer-removed'];

export interface DeclineCase {
  doc: string;
  text: string;
  answerable: boolean;
  sort: DeclineSort;
  /** Units left out of the candidates (the removed answer and the two sentences whose window holds it). */
  exclude: number[];
}

/** The documents and their kind: foreign questions come from another document of the same kind. */
export const DECLINE_DOCUMENTS: Array<[string, string]> = [
  ...TRAINING_DOCUMENTS.map((d): [string, string] => [d, d.startsWith('licenses/') ? 'contracts' : d.split('/')[0]]),
  ['zh/software-service-contract-zh.md', 'zh'],
].map(([d, kind]): [string, string] => [d, kind === 'validation' ? 'zh' : kind]);

export interface DeclineSetOptions {
  seed: number;
  /** Per document, at most: answerable synthetic questions of each sort, and unanswerable ones of each sort. */
  perSort: number;
}

export const DEFAULT_DECLINE_SET: DeclineSetOptions = { seed: 20261205, perSort: 12 };

interface Doc {
  doc: string;
  kind: string;
  index: SentenceIndex;
}

export function declineSet(docs: Doc[], options: DeclineSetOptions = DEFAULT_DECLINE_SET): DeclineCase[] {
  const out: DeclineCase[] = [];
  const own = new Map<string, string[]>();
  for (const { doc, index } of docs) {
    const n = options.perSort;
    const made = synthesize(index, { seed: options.seed, perKind: { typed: 0, definition: Math.ceil(n / 2), heading: Math.ceil(n / 2), cloze: 0 } });
    const typed = typedCases(doc, index, options.seed, n);
    for (const q of made) out.push({ doc, text: q.text, answerable: true, sort: q.kind as DeclineSort, exclude: [] });
    out.push(...typed);
    own.set(doc, [...made.map((q) => q.text), ...typed.filter((c) => c.sort === 'typed').map((c) => c.text)]);
    for (const text of unanswerable(index, [], [], [], options.seed, n)) out.push({ doc, text, answerable: false, sort: 'mismatched', exclude: [] });
    out.push(...finerCases(doc, index, options.seed, n));
  }
  for (const { doc, kind, index } of docs) {
    let others = docs.filter((d) => d.doc !== doc && d.kind === kind);
    if (others.length === 0) others = docs.filter((d) => d.doc !== doc && d.index.language === index.language);
    // Round robin over the other documents, so that each gives some.
    const pools = others.map((d) => own.get(d.doc)!);
    const taken: string[] = [];
    for (let i = 0; taken.length < options.perSort && pools.some((p) => i < p.length); i++) for (const p of pools) if (i < p.length && taken.length < options.perSort) taken.push(p[i]);
    for (const text of taken) out.push({ doc, text, answerable: false, sort: 'foreign', exclude: [] });
  }
  return out;
}

/**
 * What both generators of questions from sentences need: a unit's text, words joined as the
 * language joins them, a content word from a random sentence (a distractor), and the sentences of
 * six or more terms in a random order. `random` is consumed in the same order as before the two
 * shared it, so the set is unchanged.
 */
function sentencePicker(index: SentenceIndex, random: () => number): {
  zh: boolean;
  sentence: (u: number) => string;
  join: (ws: string[]) => string;
  elsewhere: () => string | null;
  order: number[];
} {
  const zh = index.language === 'zh';
  const sentence = (u: number): string => index.text.slice(index.units[u].start, index.units[u].end).replace(/\s+/g, ' ').trim();
  const join = (ws: string[]): string => (zh ? ws.join('') : ws.join(' '));
  const elsewhere = (): string | null => {
    const ws = wordsOf(sentence(Math.floor(random() * index.units.length)), zh).filter((w) => w.content);
    return ws.length === 0 ? null : ws[Math.floor(random() * ws.length)].text;
  };
  const order = shuffleInPlace(index.units.map((_, i) => i).filter((i) => index.units[i].terms.length >= 6), random);
  return { zh, sentence, join, elsewhere, order };
}

/**
 * For sentences with a typed span, in turn: the lightly perturbed question (typed, answerable),
 * a paraphrased one (answerable), and the lightly perturbed question asked with its sentence
 * taken away (removed, unanswerable). "How many" takes the counted word after the number along
 * ("How many GPUs …"), as a reader would ask it.
 */
function typedCases(doc: string, index: SentenceIndex, seed: number, n: number): DeclineCase[] {
  const random = seededRandom(seed ^ (index.units.length * 7919));
  const { zh, sentence, join, elsewhere, order } = sentencePicker(index, random);
  const out: DeclineCase[] = [];
  let typed = 0;
  let paraphrased = 0;
  let removed = 0;
  for (const u of order) {
    if (typed >= n && paraphrased >= n && removed >= n) break;
    const text = sentence(u);
    const span = typedSpan(text, zh);
    if (span === null) continue;
    const { asks, before, after, value } = span;
    // The counted word: "8 GPUs" asks "How many GPUs".
    const counted = !zh && asks === 'How many' && after.length > 0 && after[0].content ? after[0].text : null;
    const rest = counted === null ? [...before, ...after] : [...before, ...after.slice(1)];
    const head = counted === null ? asks : `${asks} ${counted}`;
    const make = (words: string[]): string | null => {
      const q = zh ? `${join(words)}${asks}？` : `${head} ${join(words)}?`;
      return termsOf(q).length >= 2 && words.length > 0 ? q : null;
    };
    if (typed <= paraphrased && typed < n) {
      const q = make(perturb(rest, random, elsewhere, 0.3, 0.1));
      if (q !== null) {
        out.push({ doc, text: q, answerable: true, sort: 'typed', exclude: [] });
        typed++;
      }
      continue;
    }
    if (paraphrased <= removed && paraphrased < n) {
      const kept = shuffleInPlace(perturb(rest, random, elsewhere, 0.5, 0.1), random);
      const q = make(kept);
      if (q !== null) {
        out.push({ doc, text: q, answerable: true, sort: 'paraphrased', exclude: [] });
        paraphrased++;
      }
      continue;
    }
    if (removed >= n) continue;
    // The value must not be given anywhere else, or the question would still be answerable.
    if (index.text.indexOf(value) !== index.text.lastIndexOf(value)) continue;
    const q = make(perturb(rest, random, elsewhere, 0.3, 0.1));
    if (q === null) continue;
    out.push({ doc, text: q, answerable: false, sort: 'removed', exclude: [u - 1, u, u + 1].filter((x) => x >= 0 && x < index.units.length) });
    removed++;
  }
  return out;
}

/** The sentence's first typed span with its question words and at most eight words each side. */
function typedSpan(text: string, zh: boolean): { asks: string; before: Word[]; after: Word[]; value: string } | null {
  for (const [pattern, asks] of zh ? ZH_TYPED : EN_TYPED) {
    const m = pattern.exec(text);
    if (m === null) continue;
    return {
      asks,
      before: wordsOf(text.slice(0, m.index), zh).slice(-8),
      after: wordsOf(text.slice(m.index + m[0].length), zh).slice(0, 8),
      value: m[0],
    };
  }
  return null;
}

const TITLE = String.raw`(?:Mr|Mrs|Ms|Miss|Dr|Sir|Lady|Lord|Captain|Colonel|Professor)`;
const EN_COUNT = String.raw`(?:[$€£]\s?)?(?:\d[\d,]*(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|sixty)`;
const EN_RATE = new RegExp(String.raw`\b${EN_COUNT}\s+((?:[a-z][\w-]*\s+){0,2}?)(?:per|each|every|an?)\s+(hour|day|week|month|year|share|person)\b`, 'u');
const EN_PERSON = new RegExp(String.raw`\b${TITLE}\.?\s+[A-Z][a-z]+(?:\s[A-Z][a-z]+)?`, 'u');
/**
 * A run of capitalised words inside a sentence ("Baker Street", "Irene Adler"); a name only when
 * none of its words is written in lower case anywhere in the document (a contract's "Order Form"
 * is a defined term, not a name).
 */
const EN_NAME = /(?<=[a-z,]\s)[A-Z][a-z]+(?:\s(?:of\s|de\s)?[A-Z][a-z]+)*/gu;
const ZH_NAME = /(名叫|名唤|叫做|唤作|表字|乳名|小名|名为|法名|道号)([\u4e00-\u9fff]{2,3})|《[^》]{2,20}》/u;
const ZH_RATE_UNIT = '(小时|日|天|周|星期|月|年|人|次)';
const ZH_RATE = new RegExp(`每(?:一|个)?${ZH_RATE_UNIT}([^，。；、]{0,8}?)([零〇一二两三四五六七八九十百千万\\d]+)(个|名|次|人|元|万元|日|天|小时|周|个月|年|倍|份|件)`, 'u');

interface FinerSpan {
  /** The question around the kept words: before + asks + after (Chinese), asks + words (English). */
  asks: string;
  before: Word[];
  after: Word[];
  value: string;
}

/** The sentence's name, person or rate span with its question words, or null. */
function finerSpan(text: string, zh: boolean, lowerCase: Set<string>): FinerSpan | null {
  const around = (start: number, end: number): { before: Word[]; after: Word[] } => ({ before: wordsOf(text.slice(0, start), zh).slice(-8), after: wordsOf(text.slice(end), zh).slice(0, 8) });
  if (zh) {
    const rate = ZH_RATE.exec(text);
    if (rate !== null) return { asks: `每${rate[1]}${rate[2]}多少${rate[4]}`, value: rate[0], ...around(rate.index, rate.index + rate[0].length) };
    const name = ZH_NAME.exec(text);
    if (name !== null) return { asks: name[1] === undefined ? '叫什么名字' : `${name[1] === '表字' ? '表字' : '名字'}叫什么`, value: name[2] ?? name[0], ...around(name.index, name.index + name[0].length) };
    return null;
  }
  const rate = EN_RATE.exec(text);
  if (rate !== null) {
    const counted = rate[1].trim().split(/\s+/u).filter((w) => w.length > 0 && !STOP.has(w));
    const asks = counted.length > 0 && !/[$€£]/u.test(rate[0]) ? `How many ${counted[counted.length - 1]} per ${rate[2]}` : `How much per ${rate[2]}`;
    return { asks, value: rate[0], ...around(rate.index, rate.index + rate[0].length) };
  }
  const person = EN_PERSON.exec(text);
  if (person !== null) return { asks: 'Who', value: person[0], ...around(person.index, person.index + person[0].length) };
  for (const name of text.matchAll(EN_NAME)) {
    if (name[0].split(/\s+/u).some((w) => lowerCase.has(w.toLowerCase()))) continue;
    return { asks: 'What is the name of', value: name[0], ...around(name.index, name.index + name[0].length) };
  }
  return null;
}

const STOP = new Set(['a', 'an', 'the', 'of', 'and', 'or', 'in', 'to']);

/**
 * For sentences with a name, person or rate span, in turn: the lightly perturbed question
 * (finer, answerable) and the same question asked with its sentence and the two around it taken
 * away (finer-removed, unanswerable; only when the value occurs nowhere else in the document).
 */
function finerCases(doc: string, index: SentenceIndex, seed: number, n: number): DeclineCase[] {
  const random = seededRandom((seed ^ (index.units.length * 104729)) + 17);
  const { zh, sentence, join, elsewhere, order } = sentencePicker(index, random);
  const lowerCase = new Set(zh ? [] : (index.text.match(/\b[a-z][a-z'’-]*\b/gu) ?? []));
  const out: DeclineCase[] = [];
  let answerable = 0;
  let removed = 0;
  for (const u of order) {
    if (answerable >= n && removed >= n) break;
    const span = finerSpan(sentence(u), zh, lowerCase);
    if (span === null) continue;
    const unique = index.text.indexOf(span.value) === index.text.lastIndexOf(span.value);
    const asRemoved = unique && removed < n && (removed < answerable || answerable >= n);
    if (!asRemoved && answerable >= n) continue;
    const before = join(perturb(span.before, random, elsewhere, 0.3, 0.1));
    const after = join(perturb(span.after, random, elsewhere, 0.3, 0.1));
    const text = zh ? `${before}${span.asks}${after}？` : `${span.asks} ${[before, after].filter((x) => x.length > 0).join(' ')}?`;
    if (termsOf(text).length < 2 || before.length + after.length === 0) continue;
    if (asRemoved) {
      out.push({ doc, text, answerable: false, sort: 'finer-removed', exclude: [u - 1, u, u + 1].filter((x) => x >= 0 && x < index.units.length) });
      removed++;
    } else {
      out.push({ doc, text, answerable: true, sort: 'finer', exclude: [] });
      answerable++;
    }
  }
  return out;
}
