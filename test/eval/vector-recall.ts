// Candidate recall on the development questions: is the gold evidence among the sentences `ask`
// re-ranks (BM25F's best 50, with search's hits), among the sentences of the passages whose stored
// vectors are closest to the question's vector, and among their union? A question→passage vector
// is worth its cost only if it brings in evidence the lexical candidates miss (issue 20 item 2).
// Each sentence is judged alone by the set's rule (test/support/citation-judge.ts).
//   npm run build && node dist/test/eval/vector-recall.js --half a [--out file.json]
// The model is the eval's (LECTERN_MODEL or models/default.txt); its library is the eval's cache.
import { writeFileSync } from 'node:fs';
import { prepareAnswer } from '../../main/core/answer/answer.js';
import { queryVector } from '../../main/core/answer/passage-rankings.js';
import { defaultModelDir } from '../../main/core/model/default-model.js';
import { openModel } from '../../main/core/model/session.js';
import { loadPassageSpans } from '../../main/core/store/documents.js';
import { loadPassageOutputs } from '../../main/core/store/readings.js';
import { citationHits } from '../support/citation-judge.js';
import { openEvalLibrary } from './library.js';
import { loadQuestions, type Half } from './questions.js';

const DEPTHS = [5, 10, 20, 50];
const NO_SIGNALS = { vectors: false, gain: false, documentGain: false, reread: false, top: 0, rereadTop: 0 };

function parse(argv: string[]): { halves: Half[]; out: string | null } {
  let halves: Half[] = ['a', 'b'];
  let out: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--half') {
      const h = argv[++i];
      if (h !== 'a' && h !== 'b') throw new Error('--half takes a or b');
      halves = [h];
    } else if (argv[i] === '--out') out = argv[++i];
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return { halves, out };
}

const args = parse(process.argv.slice(2));
const questions = loadQuestions(args.halves).filter((q) => q.answerable && q.evidence !== null);
const library = await openEvalLibrary([...new Set(questions.map((q) => q.doc))], (l) => void process.stderr.write(`${l}\n`));
const model = await openModel(defaultModelDir(), 'cpu');
const db = library.library.db;
const rows: Array<{ id: string; lang: string; lexical: boolean; vector: Record<number, boolean>; union: boolean }> = [];
for (const q of questions) {
  const id = library.ids.get(q.doc)!;
  const p = await prepareAnswer(db, id, q.question, { model, signals: NO_SIGNALS });
  const units = p.index.units;
  const gold = { evidence: q.evidence!, page: q.page };
  const hits = (u: number): boolean => citationHits({ quote: p.index.text.slice(units[u].start, units[u].end), page: units[u].page }, gold);
  const lexical = p.candidates.map((c) => c.unit);
  const spans = loadPassageSpans(db, id);
  const outputs = loadPassageOutputs(db, id, model.manifest.id);
  if (outputs.length !== spans.length) throw new Error(`${q.doc}: ${outputs.length} passage outputs for ${spans.length} passages`);
  const v = await queryVector(db, model, id, model.tokenizer.encode(q.question).ids);
  const score = outputs.map(({ embedding }) => embedding.reduce((s, x, i) => s + x * v[i], 0));
  const order = score.map((_, i) => i).sort((a, b) => score[b] - score[a]);
  // Sentences of the closest passages, passage by passage, in text order within each.
  const byVector: number[] = [];
  for (const o of order) {
    for (let u = 0; u < units.length && byVector.length < DEPTHS[DEPTHS.length - 1]; u++) {
      if (units[u].start >= spans[o].start && units[u].start < spans[o].end) byVector.push(u);
    }
    if (byVector.length >= DEPTHS[DEPTHS.length - 1]) break;
  }
  const lexicalHit = lexical.some(hits);
  const vector = Object.fromEntries(DEPTHS.map((k) => [k, byVector.slice(0, k).some(hits)]));
  rows.push({ id: q.id, lang: q.lang, lexical: lexicalHit, vector, union: lexicalHit || vector[50] });
}
await model.release();
const pct = (xs: boolean[]): string => ((100 * xs.filter(Boolean).length) / Math.max(1, xs.length)).toFixed(1);
process.stdout.write(`model ${model.manifest.id}, ${args.halves.map((h) => `dev-questions-${h}`).join(' + ')}, ${rows.length} answerable questions\n\n`);
process.stdout.write(`| questions | lexical candidates (BM25F 50) | ${DEPTHS.map((k) => `vector top ${k}`).join(' | ')} | union (lexical + vector 50) |\n`);
process.stdout.write(`|---|---|${DEPTHS.map(() => '---').join('|')}|---|\n`);
for (const [label, rs] of [['all', rows], ['en', rows.filter((r) => r.lang === 'en')], ['zh', rows.filter((r) => r.lang === 'zh')]] as const) {
  process.stdout.write(`| ${label} (${rs.length}) | ${pct(rs.map((r) => r.lexical))} | ${DEPTHS.map((k) => pct(rs.map((r) => r.vector[k]))).join(' | ')} | ${pct(rs.map((r) => r.union))} |\n`);
}
if (args.out) writeFileSync(args.out, JSON.stringify({ model: model.manifest.id, halves: args.halves, rows }, null, 1));
library.library.close();
