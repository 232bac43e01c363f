// `lectern ask` against `lectern search` on the development questions, judged by the set's own
// rule (test/support/citation-judge.ts): hit@1 and hit@3, unanswerable questions declined and
// answerable ones wrongly declined, by half, language, kind and position; and the ablation table,
// every feature of the ranker removed in turn (or, for those the shipped ranker leaves out, added
// alone), on the same prepared candidates.
import { finishAnswer, prepareAnswer, type PreparedAnswer } from '../../main/core/answer/answer.js';
import { answerProbability, declineFeatures, DEFAULT_DECLINE, MODEL_DECLINE, NEVER_DECLINE, RULE_DECLINE, TYPE_ANYWHERE_DECLINE, type DeclineRule } from '../../main/core/answer/decline.js';
import { REFIT_DECLINE } from '../../main/core/answer/learned-decline.js';
import { LEARNED_WEIGHTS } from '../../main/core/answer/learned.js';
import { CANDIDATES } from '../../main/core/answer/candidates.js';
import { DEFAULT_CITATIONS, type CitationRule } from '../../main/core/answer/citations.js';
import { DEFAULT_SIGNALS } from '../../main/core/answer/model-signals.js';
import { LEXICAL_FEATURES, MODEL_FEATURES, type FeatureName } from '../../main/core/answer/features.js';
import { DEFAULT_WEIGHTS, rank, type Weights } from '../../main/core/answer/ranker.js';
import { searchPassages } from '../../main/core/answer/search.js';
import type { BenchTable } from '../bench/table.js';
import { GAIN_ROWS } from '../train/decline-rows.js';
import { citationHits } from '../support/citation-judge.js';
import type { EvalQuestion, Half } from './questions.js';
import type { EvalContext, EvalSection, SectionResult } from './section.js';

const TOP = 5;
/** The weight a model signal gets when the ablation adds it to a ranker that leaves it out. */
const ADDED_WEIGHT = 0.15;

export interface Outcome {
  id: string;
  /** 0-based rank of the first citation that hits; null when none of the first five does. */
  hitAt: number | null;
  found: boolean;
}

interface Variant {
  name: string;
  weights: Weights;
  decline: DeclineRule;
  citing?: CitationRule;
}

export function variants(computed: ReadonlySet<FeatureName>): Variant[] {
  const out: Variant[] = [{ name: 'ask (shipped)', weights: DEFAULT_WEIGHTS, decline: DEFAULT_DECLINE }];
  for (const f of ([...LEXICAL_FEATURES, ...MODEL_FEATURES] as FeatureName[]).filter((x) => computed.has(x))) {
    if (DEFAULT_WEIGHTS[f] !== 0) out.push({ name: `− ${f}`, weights: { ...DEFAULT_WEIGHTS, [f]: 0 }, decline: DEFAULT_DECLINE });
    else out.push({ name: `+ ${f} (${ADDED_WEIGHT})`, weights: { ...DEFAULT_WEIGHTS, [f]: ADDED_WEIGHT }, decline: DEFAULT_DECLINE });
  }
  const none = Object.fromEntries(Object.keys(DEFAULT_WEIGHTS).map((k) => [k, 0])) as Weights;
  out.push({ name: 'no model signal', weights: { ...DEFAULT_WEIGHTS, vectors: 0, gain: 0, documentGain: 0, reread: 0 }, decline: DEFAULT_DECLINE });
  out.push({ name: 'BM25F alone', weights: { ...none, bm25f: 1 }, decline: DEFAULT_DECLINE });
  for (const f of MODEL_FEATURES.filter((x) => computed.has(x))) out.push({ name: `${f} alone (reorders the candidates it was computed for)`, weights: { ...none, bm25f: 0.01, [f]: 1 }, decline: DEFAULT_DECLINE });
  // Which quotes are cited (citations.ts): each switch of the rule turned the other way, and
  // different paragraphs preferred after the first.
  const switches: Array<[string, 'trim' | 'wide' | 'typed']> = [
    ['an overlapping quote trimmed to its sentence', 'trim'],
    ['both neighbours quoted where they fit', 'wide'],
    ['the neighbour holding the asked type quoted', 'typed'],
  ];
  for (const [label, key] of switches) {
    const on = !DEFAULT_CITATIONS[key];
    out.push({ name: `citations: ${on ? '+' : '−'} ${label}`, weights: DEFAULT_WEIGHTS, decline: DEFAULT_DECLINE, citing: { ...DEFAULT_CITATIONS, [key]: on } });
  }
  for (const diversity of [0, 0.25, 0.5, 1].filter((d) => d !== DEFAULT_CITATIONS.diversity)) {
    out.push({ name: `citations: another paragraph preferred by ${diversity}`, weights: DEFAULT_WEIGHTS, decline: DEFAULT_DECLINE, citing: { ...DEFAULT_CITATIONS, diversity } });
  }
  out.push({ name: 'learned weights (synthetic questions, learned.ts)', weights: LEARNED_WEIGHTS, decline: DEFAULT_DECLINE });
  out.push({ name: 'learned weights and decline model', weights: LEARNED_WEIGHTS, decline: MODEL_DECLINE });
  out.push({ name: 'decline model instead of the rule', weights: DEFAULT_WEIGHTS, decline: MODEL_DECLINE });
  // The decline rule's own ablation: the same ranking, each signal of the rule taken away or added.
  out.push({ name: 'decline: first rule (asked type anywhere in the best five)', weights: DEFAULT_WEIGHTS, decline: TYPE_ANYWHERE_DECLINE });
  out.push({ name: 'decline: − names present', weights: DEFAULT_WEIGHTS, decline: { ...DEFAULT_DECLINE, namesPresent: false } });
  out.push({ name: 'decline: − type beside the words (type anywhere)', weights: DEFAULT_WEIGHTS, decline: { ...DEFAULT_DECLINE, typePlace: 'any' } });
  out.push({ name: 'decline: + counted noun beside its number', weights: DEFAULT_WEIGHTS, decline: { ...DEFAULT_DECLINE, countedNoun: true } });
  // The finer kinds of asked value (asked-value.ts, 2026-12-05): a quote of the best five with the
  // question's rare words must give a name the question lacks, a person or party, a rate per the
  // asked unit; the counted noun only when it is among the question's rare words.
  out.push({ name: 'decline: + counted noun, only when among the rare words', weights: DEFAULT_WEIGHTS, decline: { ...DEFAULT_DECLINE, countedNoun: 'rare' } });
  out.push({ name: 'decline: − a rate per the asked unit (the rule before it)', weights: DEFAULT_WEIGHTS, decline: RULE_DECLINE });
  out.push({ name: 'decline: + a new name for a name question', weights: DEFAULT_WEIGHTS, decline: { ...DEFAULT_DECLINE, askedValues: ['rate', 'name'] } });
  out.push({ name: 'decline: + a name or party for "who"', weights: DEFAULT_WEIGHTS, decline: { ...DEFAULT_DECLINE, askedValues: ['rate', 'person'] } });
  out.push({ name: 'decline: + name and person', weights: DEFAULT_WEIGHTS, decline: { ...DEFAULT_DECLINE, askedValues: ['rate', 'name', 'person'] } });
  // The decline model refitted on the synthetic decline set with the rule's signals as features
  // (`npm run eval:decline -- --fit`, learned-decline.ts).
  out.push({ name: 'decline: model refitted on the synthetic decline set', weights: DEFAULT_WEIGHTS, decline: { ...DEFAULT_DECLINE, model: REFIT_DECLINE } });
  // The model's likelihoods as decline signals (decline.ts, GainSignal), each at the threshold the
  // decline grid chose for it on the synthetic set and half a (test/train/decline-rows.ts).
  for (const [name, decline] of GAIN_ROWS) out.push({ name: `decline: ${name}`, weights: DEFAULT_WEIGHTS, decline });
  out.push({ name: 'never decline', weights: DEFAULT_WEIGHTS, decline: NEVER_DECLINE });
  return out;
}

function firstHit(q: EvalQuestion, citations: Array<{ quote: string; page: number | null }>): number | null {
  if (q.evidence === null) return null;
  const gold = { evidence: q.evidence, page: q.page };
  const at = citations.slice(0, TOP).findIndex((c) => citationHits(c, gold));
  return at < 0 ? null : at;
}

interface Rates {
  answerable: number;
  unanswerable: number;
  hit1: number;
  hit3: number;
  foundHit1: number;
  declinedUnanswerable: number;
  declinedAnswerable: number;
}

export function rates(qs: EvalQuestion[], outcomes: Map<string, Outcome>): Rates {
  const ans = qs.filter((q) => q.answerable);
  const un = qs.filter((q) => !q.answerable);
  const pct = (n: number, d: number): number => (d === 0 ? NaN : (100 * n) / d);
  const o = (q: EvalQuestion): Outcome => outcomes.get(q.id)!;
  return {
    answerable: ans.length,
    unanswerable: un.length,
    hit1: pct(ans.filter((q) => o(q).hitAt === 0).length, ans.length),
    hit3: pct(ans.filter((q) => (o(q).hitAt ?? 9) < 3).length, ans.length),
    foundHit1: pct(ans.filter((q) => o(q).hitAt === 0 && o(q).found).length, ans.length),
    declinedUnanswerable: pct(un.filter((q) => !o(q).found).length, un.length),
    declinedAnswerable: pct(ans.filter((q) => !o(q).found).length, ans.length),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export const askSection: EvalSection = {
  name: 'ask',
  async run(context: EvalContext): Promise<SectionResult> {
    const { questions, library, model } = context;
    const db = library.library.db;
    // The re-read is a row only when this run computed it.
    const vs = variants(new Set([...LEXICAL_FEATURES, 'vectors', 'gain', ...(context.reread ? (['documentGain', 'reread'] as const) : [])]));
    for (const [name, weights] of context.weights ?? []) vs.push({ name: `weights: ${name}`, weights, decline: DEFAULT_DECLINE });
    const outcomes = new Map<string, Map<string, Outcome>>(vs.map((v) => [v.name, new Map()]));
    outcomes.set('search', new Map());
    const prepared = new Map<string, PreparedAnswer>();
    const candidateRank = new Map<string, number>();
    const lexicalMs: number[] = [];
    const modelMs: number[] = [];
    const details: Array<Record<string, unknown>> = [];
    const dumps: Array<Record<string, unknown>> = [];
    let done = 0;
    for (const q of questions) {
      const id = library.ids.get(q.doc)!;
      const p = await prepareAnswer(db, id, q.question, {
        model,
        // prior: log p(question) from the empty state, which the gain rows of the decline need.
        signals: { ...DEFAULT_SIGNALS, vectors: true, prior: true, documentGain: context.reread, reread: context.reread },
        candidates: context.candidates,
      });
      prepared.set(q.id, p);
      if (q.evidence !== null) {
        // Candidate recall: the first candidate, in BM25F's order, whose quote meets the rule.
        const gold = { evidence: q.evidence, page: q.page };
        candidateRank.set(q.id, p.candidates.findIndex((c) => {
          const first = p.index.units[c.quoteUnits[0]];
          const last = p.index.units[c.quoteUnits[c.quoteUnits.length - 1]];
          return citationHits({ quote: p.index.text.slice(first.start, last.end), page: first.page }, gold);
        }));
      }
      lexicalMs.push(p.timingsMs.lexical);
      modelMs.push(p.timingsMs.model);
      for (const v of vs) {
        const a = finishAnswer(p, { top: TOP, weights: v.weights, decline: v.decline, citing: v.citing });
        outcomes.get(v.name)!.set(q.id, { id: q.id, hitAt: firstHit(q, a.citations), found: a.found });
        if (v === vs[0]) {
          // The learned decline model's probability that the document answers it, over the
          // learned weights' ranking it was trained with, to read a threshold off one half.
          const learned = rank(p.candidates, LEARNED_WEIGHTS);
          const evidence = learned.length === 0 ? null : declineFeatures(p.question, learned, MODEL_DECLINE.typeWithin);
          details.push({
            p_answer: evidence === null ? null : answerProbability(MODEL_DECLINE.model!, evidence),
            decline_features: evidence,
            id: q.id, half: q.half, lang: q.lang, kind: q.kind, position: q.position, answerable: q.answerable,
            found: a.found, reason: a.reason, hit_at: outcomes.get(v.name)!.get(q.id)!.hitAt,
            citations: a.citations.map((c) => ({ page: c.page, section: c.section, quote: c.quote, score: c.score })),
          });
        }
      }
      if (context.dump) {
        // Every candidate's features, its quote's offsets and whether the quote meets the rule:
        // for tuning on one half (a re-ranking drops quotes that overlap a better one, as `ask` does).
        const gold = q.evidence === null ? null : { evidence: q.evidence, page: q.page };
        dumps.push({
          id: q.id, half: q.half, answerable: q.answerable, expects: p.question.expects,
          rare: [...p.question.rare], absent: p.question.absent, terms: p.question.terms, idf: Object.fromEntries(p.question.idf),
          candidates: p.candidates.map((c) => {
            const first = p.index.units[c.quoteUnits[0]];
            const last = p.index.units[c.quoteUnits[c.quoteUnits.length - 1]];
            const quote = { quote: p.index.text.slice(first.start, last.end), page: first.page };
            const own = p.index.units[c.unit];
            const alone = { quote: p.index.text.slice(own.start, own.end), page: own.page };
            return {
              hit: gold !== null && citationHits(quote, gold), start: first.start, end: last.end, features: c.features,
              unit: c.unit, unitStart: own.start, unitEnd: own.end, block: own.block, unitHit: gold !== null && citationHits(alone, gold),
            };
          }),
        });
      }
      const hits = searchPassages(db, id, q.question, TOP);
      outcomes.get('search')!.set(q.id, { id: q.id, hitAt: firstHit(q, hits), found: hits.length > 0 });
      if (++done % 20 === 0) context.log(`eval: ask ${done}/${questions.length}`);
    }

    const groups: Array<[string, EvalQuestion[]]> = [
      ...context.halves.map((h: Half): [string, EvalQuestion[]] => [`dev-questions-${h}`, questions.filter((q) => q.half === h)]),
      ...(context.halves.length > 1 ? [['both halves', questions] as [string, EvalQuestion[]]] : []),
    ];
    const main: BenchTable = {
      title: 'Answers on the development questions: `ask` against `search` (%)',
      columns: ['questions', 'method', 'answerable', 'hit@1', 'hit@3', 'found and hit@1', 'unanswerable', 'unanswerable declined', 'answerable declined'],
      rows: [],
      notes: [
        'hit@k: one of the first k citations meets the set\'s rule (test/eval/data/README.md), whether or not the answer says found; "found and hit@1" counts only answers that also say found',
        'search declines only when no passage matches; its citations are the quotes `lectern search` shows',
        `model ${model.manifest.id}, CPU; the model signals are computed for the best ${DEFAULT_SIGNALS.top} candidates by the lexical features${context.reread ? '' : '; the re-read and the document-state gain were not run (--reread runs them: replays of up to 16k tokens per candidate)'}`,
      ],
    };
    for (const [label, qs] of groups) {
      for (const [method, key] of [['ask', vs[0].name], ['search', 'search']]) {
        const r = rates(qs, outcomes.get(key)!);
        main.rows.push([label, method, r.answerable, r.hit1, r.hit3, method === 'ask' ? r.foundHit1 : r.hit1, r.unanswerable, r.declinedUnanswerable, r.declinedAnswerable]);
      }
    }

    const breakdown: BenchTable = {
      title: `By language, kind and position (${context.halves.map((h) => `dev-questions-${h}`).join(' + ')}, %)`,
      columns: ['group', 'answerable', 'ask hit@1', 'ask hit@3', 'search hit@1', 'search hit@3', 'unanswerable', 'declined', 'answerable declined'],
      rows: [],
    };
    const by = (label: string, key: (q: EvalQuestion) => string): void => {
      for (const value of [...new Set(questions.map(key))].sort()) {
        const qs = questions.filter((q) => key(q) === value);
        const a = rates(qs, outcomes.get(vs[0].name)!);
        const s = rates(qs, outcomes.get('search')!);
        breakdown.rows.push([`${label} ${value}`, a.answerable, a.hit1, a.hit3, s.hit1, s.hit3, a.unanswerable, a.declinedUnanswerable, a.declinedAnswerable]);
      }
    };
    by('language', (q) => q.lang);
    by('kind', (q) => q.kind);
    by('position', (q) => q.position);

    const ablation: BenchTable = {
      title: 'Ablation: each feature of the ranker removed (−) or added alone (+), same candidates (%)',
      columns: ['ranker', ...groups.flatMap(([label]) => [`${label} hit@1`, `${label} hit@3`]), 'unanswerable declined', 'answerable declined'],
      rows: [],
      notes: ['the decline columns are over every question of the run; the model signals are standardised over the candidates they were computed for'],
    };
    for (const v of vs) {
      const o = outcomes.get(v.name)!;
      const all = rates(questions, o);
      ablation.rows.push([v.name, ...groups.flatMap(([, qs]) => {
        const r = rates(qs, o);
        return [r.hit1, r.hit3];
      }), all.declinedUnanswerable, all.declinedAnswerable]);
    }
    const s = rates(questions, outcomes.get('search')!);
    ablation.rows.push(['search (baseline)', ...groups.flatMap(([, qs]) => {
      const r = rates(qs, outcomes.get('search')!);
      return [r.hit1, r.hit3];
    }), s.declinedUnanswerable, s.declinedAnswerable]);
    const limit = context.candidates ?? CANDIDATES;
    const ks = [1, 3, 10, 20, 50, 100, 200].filter((k) => k <= limit);
    const recall: BenchTable = {
      title: `Candidate recall: a candidate among BM25F's first k whose quote meets the rule (%, of the answerable, ${limit} candidates)`,
      columns: ['questions', ...ks.map((k) => `recall@${k}`)],
      rows: groups.map(([label, qs]) => {
        const ans = qs.filter((q) => q.answerable);
        return [label, ...ks.map((k) => (100 * ans.filter((q) => { const r = candidateRank.get(q.id) ?? -1; return r >= 0 && r < k; }).length) / Math.max(1, ans.length))];
      }),
    };
    main.notes!.push(`median time per question (prepared once for every ranker): lexical ${median(lexicalMs).toFixed(0)} ms, model signals ${median(modelMs).toFixed(0)} ms (every signal the run computes)`);

    return {
      tables: [main, breakdown, ablation, recall],
      details: {
        questions: details,
        ablation: vs.map((v) => ({ name: v.name, weights: v.weights, decline: v.decline, outcomes: [...outcomes.get(v.name)!.values()] })),
        search: [...outcomes.get('search')!.values()],
        ...(context.dump ? { candidates: dumps } : {}),
      },
    };
  },
};
