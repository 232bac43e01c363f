// `npm run eval:decline`: the decline rules on the synthetic decline set (decline-set.ts), and with
// `--dev` on dev-questions-a too (the half the rule may be tuned on; half b only through
// `npm run eval -- --half b`). `--grid` tries every rule of a small grid and prints those that
// keep the answerable declined within bounds, best first. The synthetic questions are answered
// from search and structure alone (the documents are added, not read: this runs on a bare clone
// in seconds); the development questions as `ask` answers them, with the model's signals.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { finishAnswer, prepareAnswer, type PreparedAnswer } from '../../main/core/answer/answer.js';
import { DEFAULT_DECLINE, RULE_DECLINE, TYPE_ANYWHERE_DECLINE, type DeclineRule } from '../../main/core/answer/decline.js';
import { sentenceIndex } from '../../main/core/answer/sentence-index.js';
import { Library } from '../../main/core/library.js';
import { defaultModelDir } from '../../main/core/model/default-model.js';
import { openModel } from '../../main/core/model/session.js';
import { printTable, type BenchTable } from '../bench/table.js';
import { fixture, hasFixture } from '../support/fixtures.js';
import { evalCacheDir, openEvalLibrary } from '../eval/library.js';
import { loadQuestions } from '../eval/questions.js';
import { ANSWERABLE_SORTS, DECLINE_DOCUMENTS, declineSet, UNANSWERABLE_SORTS, type DeclineSort } from './decline-set.js';

const log = (line: string): void => void process.stderr.write(`${line}\n`);
const DEV = process.argv.includes('--dev');
const GRID = process.argv.includes('--grid');

interface Item {
  answerable: boolean;
  sort: DeclineSort | 'dev-a';
  p: PreparedAnswer;
}

mkdirSync(evalCacheDir, { recursive: true });
const library = Library.open(join(evalCacheDir, 'decline-set.sqlite'));
const items: Item[] = [];
try {
  const docs = [];
  for (const [doc, kind] of DECLINE_DOCUMENTS) {
    if (!hasFixture(doc)) {
      log(`decline: ${doc} is not here (../shared only): left out`);
      continue;
    }
    const { row } = await library.add(fixture(doc));
    docs.push({ doc, kind, id: row.id, index: sentenceIndex(library.db, row.id) });
  }
  const cases = declineSet(docs);
  for (const c of cases) {
    const d = docs.find((x) => x.doc === c.doc)!;
    const p = await prepareAnswer(library.db, d.id, c.text);
    const gone = new Set(c.exclude);
    items.push({ answerable: c.answerable, sort: c.sort, p: { ...p, candidates: p.candidates.filter((x) => !gone.has(x.unit)) } });
  }
  log(`decline: ${cases.length} synthetic questions from ${docs.length} documents`);
} finally {
  // The prepared answers keep what they need (the sentence index holds the text).
  library.close();
}

if (DEV) {
  const questions = loadQuestions(['a']);
  const dev = await openEvalLibrary([...new Set(questions.map((q) => q.doc))], log);
  const model = await openModel(defaultModelDir(), 'cpu');
  try {
    for (const q of questions) items.push({ answerable: q.answerable, sort: 'dev-a', p: await prepareAnswer(dev.library.db, dev.ids.get(q.doc)!, q.question, { model }) });
  } finally {
    await model.release();
    dev.library.close();
  }
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
  `rare ≥ ${r.minRareCoverage}, overlap ≥ ${r.minOverlap}${r.requireType ? `, type ${r.typePlace ?? 'any'}${(r.nearShare ?? 0) > 0 ? ` with ≥ ${r.nearShare} of the rare words` : ''} in best ${r.typeWithin}` : ''}${r.countedNoun ? ', counted noun' : ''}${r.namesPresent ? ', names present' : ''}`;

const named: Array<[string, DeclineRule]> = [
  ['first rule (type anywhere)', TYPE_ANYWHERE_DECLINE],
  ['− names present', { ...RULE_DECLINE, namesPresent: false }],
  ['− type beside the words', { ...RULE_DECLINE, typePlace: 'any' }],
  ['+ counted noun', { ...RULE_DECLINE, countedNoun: true }],
  ['shipped', DEFAULT_DECLINE],
];
const table: BenchTable = {
  title: 'Declined (%) on the synthetic decline set' + (DEV ? ' and dev-questions-a' : ''),
  columns: ['rule', ...columns.map((c) => `${c} (${counts[c]})`)],
  rows: named.map(([name, r]) => [`${name}: ${describe(r)}`, ...columns.map((c) => rates(r)[c] ?? NaN)]),
};
printTable(table);

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
}
