// `npm run eval`: the development questions (test/eval/data) asked of the documents they are
// about, read once by the default model into a cached library (.cache/eval/), section by section;
// tables on stdout, details as JSON (--out, default .cache/eval/results.json).
// `npm run eval -- --half a` tunes on the first half, `--half b` reports on the second; both by default.
// `--weights name=file.json` adds a row to the ablation for other weights (test/train's refits).
// `--dump` writes every candidate's features to the details file; `--candidates N` passes N BM25F
// candidates on instead of `ask`'s 50 (the recall table shows what more would find).
// `--reread` adds the signals that replay from a checkpoint (slow on a CPU): the relevance head's
// re-read of each passage and the likelihood gain from the document's own state.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Weights } from '../../main/core/answer/ranker.js';
import { dirname, join } from 'node:path';
import { defaultModelDir } from '../../main/core/model/default-model.js';
import { openModel } from '../../main/core/model/session.js';
import { printTable } from '../bench/table.js';
import { askSection } from './ask-section.js';
import { evalCacheDir, openEvalLibrary } from './library.js';
import { loadQuestions, type Half } from './questions.js';
import { summarySection } from './summaries.js';
import type { EvalSection } from './section.js';

/** Every section, in the order they run: the answers with their ablation, then the summaries' ROUGE. */
export const SECTIONS: EvalSection[] = [askSection, summarySection];

function parse(argv: string[]): { halves: Half[]; out: string; only: string[]; reread: boolean; dump: boolean; candidates?: number; weights: Array<[string, Weights]> } {
  let halves: Half[] = ['a', 'b'];
  let out = join(evalCacheDir, 'results.json');
  const only: string[] = [];
  let reread = false;
  let dump = false;
  let candidates: number | undefined;
  const weights: Array<[string, Weights]> = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--half') {
      const h = argv[++i];
      if (h === 'a' || h === 'b') halves = [h];
      else if (h !== 'both') throw new Error('--half takes a, b or both');
    } else if (a === '--out') out = argv[++i];
    else if (a === '--reread') reread = true;
    else if (a === '--dump') dump = true;
    else if (a === '--candidates') candidates = Number(argv[++i]);
    else if (a === '--weights') {
      const [name, file] = argv[++i].split('=');
      weights.push([name, JSON.parse(readFileSync(file, 'utf8')) as Weights]);
    }
    else if (SECTIONS.some((s) => s.name === a)) only.push(a);
    else throw new Error(`unknown argument ${a}; sections: ${SECTIONS.map((s) => s.name).join(', ')}`);
  }
  return { halves, out, only, reread, dump, candidates, weights };
}

const args = parse(process.argv.slice(2));
const log = (line: string): void => void process.stderr.write(`${line}\n`);
const questions = loadQuestions(args.halves);
const library = await openEvalLibrary([...new Set(questions.map((q) => q.doc))], log);
const model = await openModel(defaultModelDir(), 'cpu');
const details: Record<string, unknown> = { date: new Date().toISOString(), model: model.manifest.id, halves: args.halves };
process.stdout.write(`# Lectern evaluation\n\n${new Date().toISOString()}, model ${model.manifest.id}, questions: ${args.halves.map((h) => `dev-questions-${h}`).join(' + ')}\n\n`);
try {
  for (const section of SECTIONS.filter((s) => args.only.length === 0 || args.only.includes(s.name))) {
    const started = performance.now();
    const result = await section.run({ questions, halves: args.halves, library, model, reread: args.reread, dump: args.dump, candidates: args.candidates, weights: args.weights, log });
    for (const table of result.tables) printTable(table);
    details[section.name] = result.details;
    log(`eval: ${section.name} took ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
} finally {
  await model.release();
  library.library.close();
}
mkdirSync(dirname(args.out), { recursive: true });
writeFileSync(args.out, `${JSON.stringify(details, null, 1)}\n`);
log(`eval: details in ${args.out}`);
