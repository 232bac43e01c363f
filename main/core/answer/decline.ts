// Whether the document answers at all. A question the document cannot answer still finds
// sentences sharing some of its words; what gives it away is what the best sentences lack: the
// question's rare words (coverage); the kind of answer asked for (a date, a sum, a number) beside
// the words the question is about — a licence that says when notices are delivered but not when
// the software is holds a date, just not in a sentence about delivering software; and the names
// the question gives ("AES-256", 《…》) when the document never uses them; and, for a question
// asking for a figure per a unit, a quote that states one per that unit (asked-value.ts: Holmes
// smokes "three pipes, four pipes", never so many a day). The rule checks these in turn; a
// logistic model over the first rule's evidence (declineFeatures), trained on synthetic
// questions (`npm run train:ranker`, test/train/train-ranker.ts; learned.ts), is a row of the
// eval's table, not what `ask` uses. The rule's thresholds and signals were chosen on synthetic
// questions from documents outside the development set (test/train/decline-set.ts) and on
// dev-questions-a (docs/EVAL.md).
// The model's likelihood gain read on its own scale (GainSignal) is a row of the tables too: on
// 2026-12-05 (lectern-mamba2-7m-v6) no reading of it improved the rule, so `ask` requires none.
import { holdsType, type AnswerType } from './answer-types.js';
import { askedValue, givesName, givesRate, type AskedValue } from './asked-value.js';
import type { Question } from './question.js';
import { LEARNED_DECLINE } from './learned.js';
import type { GainEvidence } from './model-signals.js';
import type { Ranked } from './ranker.js';
import type { SentenceIndex } from './sentence-index.js';
import { isCjkChar } from '../text/cjk.js';
import { termsOf } from './terms.js';

export const DECLINE_FEATURES = [
  'rareCoverage',
  'windowOverlap',
  'overlap',
  'bm25f',
  'absent',
  'typeMissing',
  'typePresent',
  'score',
  'gap',
] as const;
export type DeclineFeature = (typeof DECLINE_FEATURES)[number];

/**
 * The rule's own signals as features (2026-12-05), for a model refitted on the synthetic decline
 * set: the asked type beside the question's rare words, a name the question gives that the
 * document lacks, the finer asked value (name, person, rate) given, and the counted noun beside a
 * number. Each is 1 when it speaks for an answer (or does not apply), 0 when against.
 */
export const RULE_FEATURES = ['typeNear', 'namesKnown', 'valueGiven', 'countedNear'] as const;
export type RuleFeature = (typeof RULE_FEATURES)[number];

/**
 * A logistic model of "the document answers it": found when sigmoid(w·x + bias) ≥ threshold. A
 * feature without a weight counts for nothing (the first fit had no rule features).
 */
export interface DeclineModel {
  weights: Partial<Record<DeclineFeature | RuleFeature, number>>;
  bias: number;
  threshold: number;
}

/**
 * Where the asked type must be found among the best candidates: anywhere in their sentences
 * ('any', the rule of 2026-12-05), in one of their quotes' sentences that also holds one of
 * the question's rare words ('sentence'), or in a quote (a sentence and its neighbour) that does ('quote').
 */
export type TypePlace = 'any' | 'sentence' | 'quote';

/**
 * A reading of the model's likelihoods (model-signals.ts, mean log p per question token) that the
 * rule may require to reach a least value. Each asks whether any candidate the model read explains
 * the question, which the gain standardised over the six cannot tell:
 * - 'best': the largest gain, log p(question | quote) − log p(question | empty state), over the
 *   candidates it was computed for (the best six by the lexical features);
 * - 'first': the gain of the candidate ranked first;
 * - 'spread': the largest log p(question | quote) less the median of them (needs no prior);
 * - 'typed': the largest gain among those whose quote has a sentence holding the asked type and
 *   one of the question's rare words ('best' when the question asks for no type);
 * - 'share': the largest gain as a share of the question's own surprisal, −log p(question | empty);
 * - 'novel': the largest gain over the question's tokens that the quote does not hold, which
 *   copying the quote's words cannot explain.
 */
export type GainSignal = 'best' | 'first' | 'spread' | 'typed' | 'share' | 'novel';

export interface GainRule {
  signal: GainSignal;
  /** Declined below this (nats per question token). */
  min: number;
}

export interface DeclineRule {
  /** Least share of the question's rare words in the best sentence's window (with its heading). */
  minRareCoverage: number;
  /** Least IDF-weighted share of all the question's words there. */
  minOverlap: number;
  /** Whether the best few must hold the asked answer type when the question asks for one. */
  requireType: boolean;
  /** How many of the best candidates may supply the asked type. */
  typeWithin: number;
  /** Where the asked type must sit (default 'any'). */
  typePlace?: TypePlace;
  /** With 'sentence' or 'quote': the least share of the question's rare words there (default: one word). */
  nearShare?: number;
  /**
   * Whether "how many X" / "how old" needs a number with X (years, age) beside it in the best few;
   * 'rare': only when X is among the question's rare words (what the question is about, not a
   * word every passage of the document uses).
   */
  countedNoun?: boolean | 'rare';
  /**
   * Which finer kinds of value (asked-value.ts) a quote of the best few must give beside one of
   * the question's rare words: a name the question does not give, a person or party, a rate per
   * the asked unit.
   */
  askedValues?: Array<AskedValue['kind']>;
  /** Whether a name the question gives ("AES-256", "Kubernetes", 《葬花吟》) must occur in the document. */
  namesPresent?: boolean;
  /** When given, the language model's likelihoods must reach this too (only where they were computed). */
  gain?: GainRule;
  /** When given, the model decides instead of the thresholds above. */
  model?: DeclineModel;
}

/**
 * The first rule (2026-12-05, thresholds set on dev-questions-a by hand): the asked type anywhere
 * in the best five. A row of the eval, the baseline for the rule below.
 */
export const TYPE_ANYWHERE_DECLINE: DeclineRule = { minRareCoverage: 0.2, minOverlap: 0.1, requireType: true, typeWithin: 5 };

/**
 * The revised rule (2026-12-05, lectern-mamba2-7m-v6; `ask` declines with it and the rate check
 * below, RATE_DECLINE): the same coverage thresholds;
 * the asked type must sit in a sentence of the best five's quotes that holds one of the
 * question's rare words; a name the question gives must occur in the document. Chosen from a grid
 * (`npm run eval:decline -- --dev --grid`) on the synthetic decline set and dev-questions-a: on
 * the synthetic set it declines 74.3% of the unanswerable questions against the first rule's 52.8,
 * and 10.3% of the answerable against 9.1; on dev-questions-a 75.0% against 62.5, and 5.6% of the
 * answerable either way (docs/EVAL.md).
 */
export const RULE_DECLINE: DeclineRule = { ...TYPE_ANYWHERE_DECLINE, typePlace: 'sentence', namesPresent: true };

/**
 * The rule `ask` declines with since a later run of 2026-12-05 (lectern-mamba2-7m-v6): the rule
 * above, and a question asking for a figure per a unit ("how many … per week", "每年…几天") needs a
 * quote of the best five, with one of its rare words, that states a figure per that unit. Chosen
 * on the synthetic decline set and dev-questions-a (`npm run eval:decline -- --dev --finer-grid`):
 * it declines one more of each's unanswerable questions and none of their answerable ones; a new
 * name for "what is X called", a person or party for "who" and the counted noun when rare were
 * measured beside it and not kept (docs/EVAL.md, "Declining what the value is of").
 */
export const RATE_DECLINE: DeclineRule = { ...RULE_DECLINE, askedValues: ['rate'] };

/** Never declines when anything matched: the eval's upper bound for hit@k. */
export const NEVER_DECLINE: DeclineRule = { minRareCoverage: 0, minOverlap: 0, requireType: false, typeWithin: 5 };

export interface Verdict {
  found: boolean;
  reason: string | null;
}

/** The document as a decision reads it: its text, its sentences' offsets and terms, and which terms it uses. */
export type DeclineText = Pick<SentenceIndex, 'text' | 'units' | 'postings'>;

function asksType(question: Question): boolean {
  return question.expects !== null && question.expects !== 'reason';
}

/**
 * The evidence for and against an answer, from the ranked candidates: the best one's coverage of
 * the question's rare words and of its weight, its BM25F over the most it could be, the share of
 * the question's weight the document never uses, the asked type missing from (or present in) the
 * best five, the best score and its lead over the second.
 */
export function declineFeatures(question: Question, ranked: Ranked[], typeWithin = 5, text?: DeclineText): Record<DeclineFeature | RuleFeature, number> {
  const best = ranked[0];
  let total = 0;
  let absent = 0;
  let used = 0;
  const missing = new Set(question.absent);
  for (const t of question.terms) {
    const w = question.idf.get(t) ?? 0;
    total += w;
    if (missing.has(t)) absent += w;
    else used += w;
  }
  const typed = asksType(question) && ranked.slice(0, typeWithin).some((c) => c.features.answerType > 0);
  return {
    rareCoverage: best.features.rareCoverage,
    windowOverlap: best.features.windowOverlap,
    overlap: best.features.overlap,
    bm25f: used > 0 ? best.bm25f / used : 0,
    absent: total > 0 ? absent / total : 0,
    typeMissing: asksType(question) && !typed ? 1 : 0,
    typePresent: typed ? 1 : 0,
    score: best.score,
    gap: ranked.length > 1 ? best.score - ranked[1].score : 1,
    ...(text === undefined ? { typeNear: 1, namesKnown: 1, valueGiven: 1, countedNear: 1 } : ruleFeatures(question, ranked, typeWithin, text)),
  };
}

function ruleFeatures(question: Question, ranked: Ranked[], within: number, text: DeclineText): Record<RuleFeature, number> {
  const asked = askedValue(question.text);
  const counted = countedTerms(question.text);
  return {
    typeNear: !asksType(question) || typeNearWords(question, ranked, text, within) ? 1 : 0,
    namesKnown: absentNames(question.text, text).length === 0 ? 1 : 0,
    valueGiven: asked === null || givesAskedValue(asked, question, ranked, text, within) ? 1 : 0,
    countedNear: counted === null || countedNear(counted, ranked, text, within) ? 1 : 0,
  };
}

/**
 * Names the question gives that the document never uses: an English word with a capital or a
 * digit inside it, or a capitalised word after the question's first ("AES-256", "GPT-4",
 * "Kubernetes"), none of whose terms the document has; a Chinese title or quotation (《…》, “…”,
 * 「…」) that the document's text does not hold. A reader who names a thing the document never
 * mentions is asking about something it does not cover; a paraphrase changes the common words,
 * rarely the names.
 */
export function absentNames(question: string, text: DeclineText): string[] {
  const out: string[] = [];
  for (const m of question.matchAll(/[《“「『"]([^》”」』"]{1,30})[》”」』"]/gu)) {
    if (/[\u4e00-\u9fff]/u.test(m[1]) && !text.text.includes(m[1])) out.push(m[0]);
  }
  let lower: string | null = null;
  const words = [...question.matchAll(/[\p{L}\p{N}][\p{L}\p{N}.-]*[\p{L}\p{N}]/gu)];
  for (const m of words.slice(1)) {
    const w = m[0];
    if (!/[A-Z]/u.test(w.slice(1)) && !/\d/u.test(w) && !/^[A-Z]/u.test(w)) continue;
    if (!/\p{L}/u.test(w) || /^[\d.,-]+$/u.test(w)) continue;
    const terms = termsOf(w);
    if (terms.length === 0 || terms.some((t) => text.postings.has(t))) continue;
    // Spelled as the document spells it but split into other terms ("e-mail", "U.S."): not absent.
    lower ??= text.text.toLowerCase();
    if (!lower.includes(w.toLowerCase())) out.push(w);
  }
  return [...new Set(out)];
}

/** The model's probability that the document answers the question. */
export function answerProbability(model: DeclineModel, x: Partial<Record<DeclineFeature | RuleFeature, number>>): number {
  let z = model.bias;
  for (const f of [...DECLINE_FEATURES, ...RULE_FEATURES]) z += (model.weights[f] ?? 0) * (x[f] ?? 0);
  return 1 / (1 + Math.exp(-z));
}

/** The sentences of the best `within` candidates' quotes, each once, best candidate first. */
function quoteSentences(ranked: Ranked[], within: number): number[] {
  const out: number[] = [];
  for (const c of ranked.slice(0, within)) for (const u of c.quoteUnits) if (!out.includes(u)) out.push(u);
  return out;
}

/**
 * Whether a sentence among the best candidates' quotes holds the asked type together with one of
 * the question's rare words: the value sits beside what it is the value of.
 */
export function typeNearWords(question: Question, ranked: Ranked[], text: DeclineText, within: number, place: 'sentence' | 'quote' = 'sentence', share = 0): boolean {
  if (question.expects === null) return true;
  if (place === 'quote') {
    return ranked.slice(0, within).some((c) => {
      const units = c.quoteUnits.map((u) => text.units[u]);
      if (!holdsRare(question, units.flatMap((unit) => unit.terms), share)) return false;
      return holdsType(text.text.slice(units[0].start, units[units.length - 1].end), question.expects!);
    });
  }
  return quoteSentences(ranked, within).some((u) => typedSentence(question, text, u, share));
}

/** Whether sentence `u` holds the asked type beside the question's rare words (one, and at least `share` of them). */
function typedSentence(question: Question, text: DeclineText, u: number, share = 0): boolean {
  const unit = text.units[u];
  return holdsRare(question, unit.terms, share) && holdsType(text.text.slice(unit.start, unit.end), question.expects!);
}

/** Whether terms hold one of the question's rare words, and at least `share` of them. */
function holdsRare(question: Question, terms: string[], share = 0): boolean {
  const held = new Set(terms.filter((t) => question.rare.has(t))).size;
  return held > 0 && held >= share * question.rare.size;
}

/** Whether a sentence of the candidate's quote holds the asked type beside one of the question's rare words. */
function typedQuote(question: Question, candidate: Ranked, text: DeclineText): boolean {
  if (question.expects === null) return true;
  return candidate.quoteUnits.some((u) => typedSentence(question, text, u));
}

/**
 * Whether a quote of the best `within` candidates gives the asked value beside one of the
 * question's rare words: a name it does not already give, a person or party, a rate per the unit.
 */
export function givesAskedValue(asked: AskedValue, question: Question, ranked: Ranked[], text: DeclineText, within: number): boolean {
  return ranked.slice(0, within).some((c) => {
    const units = c.quoteUnits.map((u) => text.units[u]);
    if (!holdsRare(question, units.flatMap((unit) => unit.terms))) return false;
    const quote = text.text.slice(units[0].start, units[units.length - 1].end);
    if (asked.kind === 'rate') return givesRate(quote, asked.per);
    return givesName(quote, question.text, asked.kind === 'person');
  });
}

/** The value of a gain signal, or null where it cannot be read (no likelihoods, no prior, nothing typed). */
export function gainSignal(signal: GainSignal, question: Question, ranked: Ranked[], gains: GainEvidence, text?: DeclineText): number | null {
  const read = ranked.filter((c) => gains.byUnit.has(c.unit));
  if (read.length === 0) return null;
  const ll = (c: Ranked): number => gains.byUnit.get(c.unit)!;
  if (signal === 'spread') {
    const values = read.map(ll).sort((a, b) => a - b);
    const mid = values.length >> 1;
    const median = values.length % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    return values[values.length - 1] - median;
  }
  if (gains.prior === null) return null;
  if (signal === 'first') return gains.byUnit.has(ranked[0].unit) ? ll(ranked[0]) - gains.prior : null;
  if (signal === 'share') return gains.prior < 0 ? (Math.max(...read.map(ll)) - gains.prior) / -gains.prior : null;
  if (signal === 'novel') {
    const novel = read.filter((c) => gains.novel.has(c.unit)).map((c) => gains.novel.get(c.unit)!);
    return novel.length === 0 ? null : Math.max(...novel);
  }
  const pool = signal === 'typed' && asksType(question) && text !== undefined ? read.filter((c) => typedQuote(question, c, text)) : read;
  if (pool.length === 0) return null;
  return Math.max(...pool.map(ll)) - gains.prior;
}

/** The terms a number answering "how many X" / "how old" sits beside: X's, or years and age. */
export function countedTerms(question: string): string[] | null {
  if (/\bhow old\b/iu.test(question)) return ['year', 'age', 'aged'];
  const m = /\bhow many ([\p{L}][\p{L}-]*)/iu.exec(question);
  if (m === null) return null;
  const terms = termsOf(m[1]);
  return terms.length === 0 ? null : terms;
}

/** A term that is a count: digits (terms.ts turns "one" … "twelve" into digits), or a larger number word. */
const NUMERIC = /^(?:\d[\d.,]*|thirteen|fourteen|sixteen|seventeen|eighteen|nineteen|seventy|eighty|thousand|million|billion|dozen|several)$/u;
/** How far after a number its noun may stand ("8 NVIDIA P100 GPUs", "five-and-twenty years"). */
const COUNTED_REACH = 3;

/** Whether a sentence among the best candidates' quotes has a number with the counted noun after it. */
export function countedNear(counted: string[], ranked: Ranked[], text: DeclineText, within: number): boolean {
  const wanted = new Set(counted);
  for (const u of quoteSentences(ranked, within)) {
    const terms = text.units[u].terms;
    for (let i = 0; i < terms.length; i++) {
      if (!NUMERIC.test(terms[i])) continue;
      if (terms.slice(i + 1, i + 1 + COUNTED_REACH).some((t) => wanted.has(t))) return true;
    }
  }
  return false;
}

const TYPE_NAMES: Record<AnswerType, string> = {
  date: 'date',
  money: 'sum',
  duration: 'duration',
  percent: 'percentage',
  number: 'number',
  party: 'party',
  definition: 'definition',
  reason: 'reason',
};

export function decide(question: Question, ranked: Ranked[], rule: DeclineRule = RULE_DECLINE, text?: DeclineText, gains?: GainEvidence | null): Verdict {
  const words = (terms: string[]): string => [...new Set(terms.map((t) => question.surface.get(t) ?? t))].slice(0, 3).join(', ');
  if (ranked.length === 0) {
    const missing = words(question.absent);
    return { found: false, reason: missing ? `no sentence uses the question's words (${missing})` : 'no sentence matches the question' };
  }
  // What the best passage does say: the question's rare words it holds, for "mentions … but".
  const held = [...question.rare].filter((t) => !ranked[0].missing.includes(t));
  // A Chinese question's words say what it is about; its character bigrams ("者每") only match.
  // Without a rare word held, its weightiest words that the best passage holds.
  const isWord = (t: string): boolean => t.startsWith('w:') || !isCjkChar(t[0]);
  const heldWords = question.terms.filter((t) => isWord(t) && !ranked[0].missing.includes(t)).sort((a, b) => (question.idf.get(b) ?? 0) - (question.idf.get(a) ?? 0));
  const whole = held.filter(isWord);
  const subject = words(whole.length > 0 ? whole : heldWords.length > 0 ? heldWords.slice(0, 2) : held);
  const noValue = (what: string): string => (held.length > 0 ? `the document mentions ${subject} but gives no ${what} for it` : `the passages closest to the question give no ${what}`);
  const typeReason = noValue(question.expects === null ? 'answer' : TYPE_NAMES[question.expects]);
  const missing = words(ranked[0].missing);
  const wordsReason = `no passage has the question's main words together${missing ? ` (the closest lacks: ${missing})` : ''}`;
  if (rule.model !== undefined) {
    const x = declineFeatures(question, ranked, rule.typeWithin, text);
    if (answerProbability(rule.model, x) >= rule.model.threshold) return { found: true, reason: null };
    return { found: false, reason: x.typeMissing > 0 ? typeReason : wordsReason };
  }
  const best = ranked[0].features;
  if (rule.namesPresent === true && text !== undefined) {
    const unknown = absentNames(question.text, text);
    if (unknown.length > 0) return { found: false, reason: `the document never mentions ${unknown.slice(0, 2).join(' or ')}` };
  }
  if (best.rareCoverage < rule.minRareCoverage || best.windowOverlap < rule.minOverlap) return { found: false, reason: wordsReason };
  if (rule.requireType && asksType(question)) {
    const typed =
      rule.typePlace !== undefined && rule.typePlace !== 'any' && text !== undefined
        ? typeNearWords(question, ranked, text, rule.typeWithin, rule.typePlace, rule.nearShare)
        : ranked.slice(0, rule.typeWithin).some((c) => c.features.answerType > 0);
    if (!typed) return { found: false, reason: typeReason };
    let counted = rule.countedNoun !== undefined && rule.countedNoun !== false && text !== undefined ? countedTerms(question.text) : null;
    if (counted !== null && rule.countedNoun === 'rare' && !counted.some((t) => question.rare.has(t))) counted = null;
    if (counted !== null && !countedNear(counted, ranked, text!, rule.typeWithin)) {
      return { found: false, reason: noValue(/\bhow old\b/iu.test(question.text) ? 'age' : `number of ${words(counted)}`) };
    }
  }
  const asked = rule.askedValues !== undefined && text !== undefined ? askedValue(question.text) : null;
  if (asked !== null && rule.askedValues!.includes(asked.kind) && !givesAskedValue(asked, question, ranked, text!, rule.typeWithin)) {
    return { found: false, reason: noValue(asked.kind === 'name' ? 'name' : asked.kind === 'person' ? 'person or party' : `figure per ${asked.per[0]}`) };
  }
  if (rule.gain !== undefined && gains !== undefined && gains !== null) {
    const value = gainSignal(rule.gain.signal, question, ranked, gains, text);
    if (value !== null && value < rule.gain.min) return { found: false, reason: 'no passage makes the question likelier to the model' };
  }
  return { found: true, reason: null };
}

/** The learned model deciding: a row of the eval. */
export const MODEL_DECLINE: DeclineRule = { ...TYPE_ANYWHERE_DECLINE, model: LEARNED_DECLINE };

/**
 * What `ask` declines with: the rule. The model, trained on synthetic questions, separates the
 * development questions no better than chance (2026-12-05, docs/EVAL.md); its features are the
 * first rule's evidence.
 */
export const DEFAULT_DECLINE: DeclineRule = RATE_DECLINE;
