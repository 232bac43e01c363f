// One part of `npm run eval`: it gets the questions, the read library and the model, and returns
// tables for stdout and details for the JSON file. The answers, the ablation and the summaries'
// ROUGE are sections; run.ts runs them in order.
import type { Weights } from '../../main/core/answer/ranker.js';
import type { Model } from '../../main/core/model/session.js';
import type { BenchTable } from '../bench/table.js';
import type { EvalLibrary } from './library.js';
import type { EvalQuestion, Half } from './questions.js';

export interface EvalContext {
  /** Every question of the halves asked for; `halves` says which. */
  questions: EvalQuestion[];
  halves: Half[];
  library: EvalLibrary;
  model: Model;
  /** Whether the costly re-read signal is computed (a replay from a checkpoint per passage). */
  reread: boolean;
  /** Whether to write every candidate's features to the details (for tuning on one half). */
  dump: boolean;
  /** BM25F candidates per question (`--candidates N`; `ask`'s own number by default). */
  candidates?: number;
  /** More rankers for the ablation, by name (`--weights name=file.json`). */
  weights?: Array<[string, Weights]>;
  log(line: string): void;
}

export interface SectionResult {
  tables: BenchTable[];
  /** Anything JSON-safe: written under the section's name in the details file. */
  details: unknown;
}

export interface EvalSection {
  name: string;
  run(context: EvalContext): Promise<SectionResult>;
}
