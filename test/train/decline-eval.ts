// `npm run eval:decline`: the decline rules on the synthetic decline set (decline-set.ts), and with
// `--dev` on dev-questions-a too (the half the rule may be tuned on; half b only through
// `npm run eval -- --half b`). `--grid` tries every rule of a small grid and prints those that
// keep the answerable declined within bounds, best first. The set's documents are read by the
// default model once (about a minute here) into a cached library (.cache/eval/decline-set-<model>.sqlite),
// so the synthetic questions get the model's likelihoods as `ask` computes them after a reading,
// and the gain signals of the decline rule (decline.ts, GainSignal) get rows and a grid of their
// own; `--no-model` answers them from search and structure alone (the documents added, not read:
// seconds, on a bare clone). `--dump file.json` writes each question's gain signals; `--list`
// prints the set's questions and stops.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { finishAnswer, prepareAnswer, type PreparedAnswer } from '../../main/core/answer/answer.js';
import { DEFAULT_DECLINE, gainSignal, RULE_DECLINE, TYPE_ANYWHERE_DECLINE, type DeclineRule, type GainSignal } from '../../main/core/answer/decline.js';
import { DEFAULT_SIGNALS } from '../../main/core/answer/model-signals.js';
import { DEFAULT_WEIGHTS, rank } from '../../main/core/answer/ranker.js';
import { sentenceIndex } from '../../main/core/answer/sentence-index.js';
import { Library } from '../../main/core/library.js';
import { defaultModelDir } from '../../main/core/model/default-model.js';
import { loadManifest } from '../../main/core/model/manifest.js';
import { openModel, type Model } from '../../main/core/model/session.js';
import { printTable, type BenchTable } from '../bench/table.js';
import { fixture, hasFixture } from '../support/fixtures.js';
import { evalCacheDir, openEvalLibrary } from '../eval/library.js';
import { loadQuestions } from '../eval/questions.js';
import { ANSWERABLE_SORTS, DECLINE_DOCUMENTS, declineSet, UNANSWERABLE_SORTS, type DeclineSort } from './decline-set.js';
import { GAIN_ROWS } from './decline-rows.js';
import { refitDecline, writeRefit } from './decline-refit.js';

const log = (line: string): void => void process.stderr.write(`${line}\n`);
const DEV = process.argv.includes('--dev');
const GRID = process.argv.includes('--grid');
const FINER_GRID = process.argv.includes('--finer-grid');
const FIT = process.argv.includes('--fit');
const MODEL = !process.argv.includes('--no-model');
const LIST = process.argv.includes('--list');
const dumpAt = process.argv.indexOf('--dump');
const DUMP = dumpAt > 0 ? process.argv[dumpAt + 1] : null;
/** The likelihoods `ask` computes, and the question's own from the empty state: the gain signals' scale. */
const SIGNALS = { ...DEFAULT_SIGNALS, prior: true };

interface Item {
  answerable: boolean;
  sort: DeclineSort | 'dev-a';
  doc: string;
  p: PreparedAnswer;
}

mkdirSync(evalCacheDir, { recursive: true });
const items: Item[] = [];
const present = DECLINE_DOCUMENTS.filter(([doc]) => {
  if (!hasFixture(doc)) log(`decline: ${doc} is not here (../shared only): left out`);
  return hasFixture(doc);
});
let model: Model | undefined;
let library: Library;
let ids: Map<string, number>;
if (MODEL) {
  const read = await openEvalLibrary(present.map(([doc]) => doc), log, 'decline-set');
  library = read.library;
  ids = read.ids;
  model = await openModel(defaultModelDir(), 'cpu');
} else {
  library = Library.open(join(evalCacheDir, 'decline-set.sqlite'));
  ids = new Map();
  for (const [doc] of present) ids.set(doc, (await library.add(fixture(doc))).row.id);
}
const modelMs: number[] = [];
try {
  const docs = present.map(([doc, kind]) => ({ doc, kind, id: ids.get(doc)!, index: sentenceIndex(library.db, ids.get(doc)!) }));
  const cases = declineSet(docs);
  if (LIST) {
    // The set itself, to read what the generator made: one question a line, nothing answered.
    for (const c of cases) process.stdout.write(`${c.sort}\t${c.doc}\t${c.text}\n`);
    process.exit(0);
  }
  for (const c of cases) {
    const d = docs.find((x) => x.doc === c.doc)!;
    const p = await prepareAnswer(library.db, d.id, c.text, { model, signals: SIGNALS, exclude: new Set(c.exclude) });
    modelMs.push(p.timingsMs.model);
    items.push({ answerable: c.answerable, sort: c.sort, doc: c.doc, p });
    if (items.length % 100 === 0) log(`decline: ${items.length}/${cases.length}`);
  }
  log(`decline: ${cases.length} synthetic questions from ${docs.length} documents${MODEL ? ', with the model\'s likelihoods' : ', search and structure only'}`);
} finally {
  // The prepared answers keep what they need (the sentence index holds the text).
  library.close();
}

if (DEV) {
  const questions = loadQuestions(['a']);
  const dev = await openEvalLibrary([...new Set(questions.map((q) => q.doc))], log);
  model ??= await openModel(defaultModelDir(), 'cpu');
  try {
    for (const q of questions) items.push({ answerable: q.answerable, sort: 'dev-a', doc: q.doc, p: await prepareAnswer(dev.library.db, dev.ids.get(q.doc)!, q.question, { model, signals: SIGNALS }) });
  } finally {
    dev.library.close();
  }
}
await model?.release();
if (MODEL) log(`decline: median model time a synthetic question ${median(modelMs).toFixed(0)} ms (the gain over the best ${SIGNALS.top} and the prior)`);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const sorts = [...ANSWERABLE_SORTS, ...UNANSWERABLE_SORTS];
function rates(rule: DeclineRule): Record<string, number> {
  const declined = new Map<string, [number, number]>();
  const count = (key: string, d: boolean): void => {
    const [n, k] = declined.get(key) ?? [0, 0];
    declined.set(key, [n + 1, k + (d ? 1 : 0)]);
  };
  for (const it of items) {
    const d = !finishAnswer(it.p, { decline: rule }).found;
    count(it.sort === 'dev-a' ? `dev-a ${it.answerable ? 'answerable' : 'unanswerable'}` : it.sort, d);
    if (it.sort !== 'dev-a') count(it.answerable ? 'synthetic answerable' : 'synthetic unanswerable', d);
  }
  return Object.fromEntries([...declined].map(([key, [n, k]]) => [key, (100 * k) / n]));
}

const columns = ['synthetic answerable', 'synthetic unanswerable', ...sorts, ...(DEV ? ['dev-a answerable', 'dev-a unanswerable'] : [])];
const counts = Object.fromEntries(columns.map((c) => [c, items.filter((it) => (c.startsWith('dev-a') ? it.sort === 'dev-a' && it.answerable === c.endsWith(' answerable') : c === 'synthetic answerable' ? it.sort !== 'dev-a' && it.answerable : c === 'synthetic unanswerable' ? it.sort !== 'dev-a' && !it.answerable : it.sort === c)).length]));
const describe = (r: DeclineRule): string =>
  `rare ≥ ${r.minRareCoverage}, overlap ≥ ${r.minOverlap}${r.requireType ? `, type ${r.typePlace ?? 'any'}${(r.nearShare ?? 0) > 0 ? ` with ≥ ${r.nearShare} of the rare words` : ''} in best ${r.typeWithin}` : ''}${r.countedNoun === 'rare' ? ', counted noun when rare' : r.countedNoun ? ', counted noun' : ''}${r.askedValues && r.askedValues.length > 0 ? `, gives the ${r.askedValues.join(' / ')}` : ''}${r.namesPresent ? ', names present' : ''}${r.gain ? `, ${r.gain.signal} gain ≥ ${r.gain.min.toFixed(3)}` : ''}`;

// The decline model refitted on the synthetic set (decline-refit.ts): a row in sample, and a
// column of figures with each document left out of its fit.
let refit: DeclineRule | null = null;
let heldOut: Map<Item, boolean> | null = null;
if (FIT) {
  const synthetic = items.filter((it) => it.sort !== 'dev-a');
  const fitted = refitDecline(synthetic);
  refit = { ...RULE_DECLINE, model: fitted.model };
  heldOut = fitted.heldOutDeclined as Map<Item, boolean>;
  const file = writeRefit(fitted.model, synthetic.filter((it) => it.answerable).length, synthetic.filter((it) => !it.answerable).length, new Set(synthetic.map((it) => it.doc)).size, loadManifest(defaultModelDir()).id);
  log(`decline: wrote the refitted decline model to ${file}`);
}

const named: Array<[string, DeclineRule]> = [
  ['first rule (type anywhere)', TYPE_ANYWHERE_DECLINE],
  ['− names present', { ...RULE_DECLINE, namesPresent: false }],
  ['− type beside the words', { ...RULE_DECLINE, typePlace: 'any' }],
  ['+ counted noun', { ...DEFAULT_DECLINE, countedNoun: true }],
  // The finer kinds of asked value on top of what `ask` ships (the rate check included).
  ['+ counted noun when among the rare words', { ...DEFAULT_DECLINE, countedNoun: 'rare' }],
  ['+ a new name for a name question', { ...DEFAULT_DECLINE, askedValues: ['rate', 'name'] }],
  ['+ a name or party for "who"', { ...DEFAULT_DECLINE, askedValues: ['rate', 'person'] }],
  ['+ name and person', { ...DEFAULT_DECLINE, askedValues: ['rate', 'name', 'person'] }],
  ['+ name, person, counted noun when rare', { ...DEFAULT_DECLINE, askedValues: ['rate', 'name', 'person'], countedNoun: 'rare' }],
  ...(MODEL ? GAIN_ROWS : []),
  ...(refit === null ? [] : [['decline model refitted on this set (synthetic: in sample)', refit] as [string, DeclineRule]]),
  ['the rule before the rate (2026-12-05)', RULE_DECLINE],
  ['shipped', DEFAULT_DECLINE],
];
const table: BenchTable = {
  title: 'Declined (%) on the synthetic decline set' + (DEV ? ' and dev-questions-a' : ''),
  columns: ['rule', ...columns.map((c) => `${c} (${counts[c]})`)],
  rows: named.map(([name, r]) => [`${name}: ${describe(r)}`, ...columns.map((c) => rates(r)[c] ?? NaN)]),
};
printTable(table);

if (heldOut !== null) {
  // The refitted model with each synthetic question's own document left out of the fit.
  const by = (f: (it: Item) => boolean): number => {
    const xs = items.filter((it) => it.sort !== 'dev-a' && f(it));
    return (100 * xs.filter((it) => heldOut!.get(it)).length) / Math.max(1, xs.length);
  };
  printTable({
    title: 'Decline model refitted on the synthetic set, each document left out of its own fit (declined, %)',
    columns: ['model', 'synthetic answerable', 'synthetic unanswerable', ...sorts],
    rows: [['refitted, leave one document out', by((it) => it.answerable), by((it) => !it.answerable), ...sorts.map((s) => by((it) => it.sort === s))]],
  });
}

if (GRID) {
  const grid: DeclineRule[] = [];
  for (const minRareCoverage of [0.2, 0.34])
    for (const minOverlap of [0.1, 0.15])
      for (const typePlace of ['any', 'sentence', 'quote'] as const)
        for (const nearShare of typePlace === 'any' ? [0] : [0, 0.5, 1])
          for (const typeWithin of [3, 5, 10])
            for (const countedNoun of [false, true])
              for (const namesPresent of [false, true]) grid.push({ minRareCoverage, minOverlap, requireType: true, typeWithin, typePlace, nearShare, countedNoun, namesPresent });
  // Score: unanswerable declined minus twice the answerable declined, over the synthetic set and half a alike.
  const scored = grid.map((r) => {
    const x = rates(r);
    const synth = x['synthetic unanswerable'] - 2 * x['synthetic answerable'];
    const dev = DEV ? x['dev-a unanswerable'] - 2 * x['dev-a answerable'] : 0;
    return { r, x, score: synth + dev };
  });
  scored.sort((a, b) => b.score - a.score);
  if (process.argv.includes('--show')) {
    // Half a only: which of its questions the best rule decides otherwise than the old one.
    for (const it of items.filter((x) => x.sort === 'dev-a')) {
      const before = finishAnswer(it.p, { decline: TYPE_ANYWHERE_DECLINE });
      const after = finishAnswer(it.p, { decline: scored[0].r });
      if (before.found !== after.found || after.found !== it.answerable) log(`dev-a ${it.answerable ? 'answerable' : 'unanswerable'}: ${before.found ? 'found' : 'declined'} → ${after.found ? 'found' : 'declined'} (${after.reason ?? ''}): ${it.p.question.text}`);
    }
  }
  printTable({
    title: 'Grid, best first (score: unanswerable declined − 2 × answerable declined, synthetic + dev-a)',
    columns: ['rule', 'score', ...columns],
    rows: scored.slice(0, 25).map((s) => [describe(s.r), s.score, ...columns.map((c) => s.x[c] ?? NaN)]),
  });
  if (MODEL) gainGrid();
}

if (FINER_GRID) {
  // The finer kinds of asked value (asked-value.ts) and the counted noun on top of the shipped
  // rule, each subset, with the best few taken as 3, 5 or 10; scored as the grid above.
  const kinds = ['name', 'person', 'rate'] as const;
  const subsets = [...Array(1 << kinds.length).keys()].map((m) => kinds.filter((_, i) => m & (1 << i)));
  const grid: DeclineRule[] = [];
  for (const typeWithin of [3, 5, 10]) for (const countedNoun of [false, true, 'rare'] as const) for (const askedValues of subsets) grid.push({ ...RULE_DECLINE, typeWithin, countedNoun, askedValues });
  const scored = grid.map((r) => {
    const x = rates(r);
    return { r, x, score: x['synthetic unanswerable'] - 2 * x['synthetic answerable'] + (DEV ? x['dev-a unanswerable'] - 2 * x['dev-a answerable'] : 0) };
  });
  scored.sort((a, b) => b.score - a.score);
  printTable({
    title: 'Finer grid, best first (score: unanswerable declined − 2 × answerable declined, synthetic + dev-a)',
    columns: ['rule', 'score', ...columns],
    rows: scored.map((s) => [describe(s.r), s.score, ...columns.map((c) => s.x[c] ?? NaN)]),
  });
  if (process.argv.includes('--show')) {
    for (const it of items.filter((x) => x.sort === 'dev-a')) {
      const before = finishAnswer(it.p, { decline: RULE_DECLINE });
      const after = finishAnswer(it.p, { decline: { ...RULE_DECLINE, askedValues: ['name', 'person', 'rate'], countedNoun: 'rare' } });
      if (before.found !== after.found) log(`dev-a ${it.answerable ? 'answerable' : 'unanswerable'}: ${before.found ? 'found' : 'declined'} → ${after.found ? 'found' : 'declined'} (${after.reason ?? ''}): ${it.p.question.text}`);
    }
  }
}

/** Each gain signal's value for a question, over the shipped ranking (null where it cannot be read). */
function signalOf(signal: GainSignal, it: Item): number | null {
  if (it.p.gains === null) return null;
  const ranked = rank(it.p.candidates, DEFAULT_WEIGHTS);
  return ranked.length === 0 ? null : gainSignal(signal, it.p.question, ranked, it.p.gains, it.p.index);
}

/**
 * The gain signals on top of the shipped rule: for each, thresholds at the 1st to 20th percentile
 * of its values on the answerable questions (synthetic and half a pooled, the only place the
 * threshold is read from), scored as the grid above; and the signals' spread by group.
 */
function gainGrid(): void {
  const groups: Array<[string, (it: Item) => boolean]> = [
    ['synthetic answerable', (it) => it.sort !== 'dev-a' && it.answerable],
    ['synthetic unanswerable', (it) => it.sort !== 'dev-a' && !it.answerable],
    ['dev-a answerable', (it) => it.sort === 'dev-a' && it.answerable],
    ['dev-a unanswerable', (it) => it.sort === 'dev-a' && !it.answerable],
  ];
  const quantile = (xs: number[], q: number): number => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.max(0, Math.floor(q * (s.length - 1))))];
  };
  const signals: GainSignal[] = ['best', 'first', 'spread', 'typed', 'share', 'novel'];
  printTable({
    title: 'Gain signals by group (nats per question token): 10th / 25th / 50th percentile, questions where it can be read',
    columns: ['signal', ...groups.map(([g]) => g)],
    rows: signals.map((sig) => [sig, ...groups.map(([, f]) => {
      const xs = items.filter(f).map((it) => signalOf(sig, it)).filter((v): v is number => v !== null);
      return `${quantile(xs, 0.1).toFixed(3)} / ${quantile(xs, 0.25).toFixed(3)} / ${quantile(xs, 0.5).toFixed(3)} (${xs.length})`;
    })]),
  });
  const scored: Array<{ r: DeclineRule; x: Record<string, number>; score: number }> = [];
  for (const signal of signals) {
    const answerable = items.filter((it) => it.answerable).map((it) => signalOf(signal, it)).filter((v): v is number => v !== null);
    for (const q of [0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2]) {
      const r: DeclineRule = { ...DEFAULT_DECLINE, gain: { signal, min: quantile(answerable, q) } };
      const x = rates(r);
      scored.push({ r, x, score: x['synthetic unanswerable'] - 2 * x['synthetic answerable'] + (DEV ? x['dev-a unanswerable'] - 2 * x['dev-a answerable'] : 0) });
    }
  }
  const base = rates(DEFAULT_DECLINE);
  const baseScore = base['synthetic unanswerable'] - 2 * base['synthetic answerable'] + (DEV ? base['dev-a unanswerable'] - 2 * base['dev-a answerable'] : 0);
  scored.sort((a, b) => b.score - a.score);
  printTable({
    title: `Gain grid on top of the shipped rule, best first (same score; the shipped rule scores ${baseScore.toFixed(1)})`,
    columns: ['rule', 'score', ...columns],
    rows: scored.map((s) => [describe(s.r), s.score, ...columns.map((c) => s.x[c] ?? NaN)]),
  });
}

if (DUMP !== null) {
  const signals: GainSignal[] = ['best', 'first', 'spread', 'typed', 'share', 'novel'];
  const rows = items.map((it) => ({
    sort: it.sort,
    answerable: it.answerable,
    question: it.p.question.text,
    shippedFound: finishAnswer(it.p, { decline: DEFAULT_DECLINE }).found,
    // Each named rule's verdict, and its reason when it declines.
    rules: Object.fromEntries(named.map(([name, r]) => [name, finishAnswer(it.p, { decline: r }).reason ?? 'found'])),
    ...Object.fromEntries(signals.map((sig) => [sig, signalOf(sig, it)])),
  }));
  writeFileSync(DUMP, JSON.stringify(rows, null, 1));
  log(`decline: wrote ${rows.length} questions' signals to ${DUMP}`);
}
