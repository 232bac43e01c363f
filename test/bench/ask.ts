// `npm run bench -- ask`: how long `ask` takes on the 352-page Free Culture after its reading,
// with a warm engine (the model open, the document's sentence index built by a first question):
// the median of several questions, with the model's signals and without them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answerQuestion } from '../../main/core/answer/answer.js';
import { Library } from '../../main/core/library.js';
import { defaultModelDir } from '../../main/core/model/default-model.js';
import { openModel } from '../../main/core/model/session.js';
import { fixture, hasFixture } from '../support/fixtures.js';
import type { BenchTable } from './table.js';
import { readStored } from '../support/read-stored.js';

const BOOK = 'books/freeculture.pdf';
/** Questions of our own (not the evaluation's), spread over the book. */
const QUESTIONS = [
  'Who founded Creative Commons?',
  'What did the Causby case decide about airplanes flying over land?',
  'How long did copyright last in the first American copyright act?',
  'What is the Eldred case about?',
  'Why did the record companies sue students?',
  'What does the author mean by a permission culture?',
  'When was the Sonny Bono Copyright Term Extension Act passed?',
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export async function benchAsk(): Promise<BenchTable> {
  const table: BenchTable = {
    title: `ask on ${BOOK} after its reading, warm (ms per question)`,
    columns: ['pipeline', 'questions', 'median', 'min', 'max', 'first (cold index)'],
    rows: [],
    notes: [],
  };
  if (!hasFixture(BOOK)) {
    table.notes!.push(`${BOOK} not found: skipped`);
    return table;
  }
  const dir = mkdtempSync(join(tmpdir(), 'lectern-bench-ask-'));
  const library = Library.open(join(dir, 'library.sqlite'));
  const model = await openModel(defaultModelDir(), 'cpu');
  try {
    const { row } = await library.add(fixture(BOOK));
    const read = await readStored(library, row.id);
    for (const [name, withModel] of [['with the model (likelihood gain, best 6)', true], ['search and structure only (partial)', false]] as const) {
      const times: number[] = [];
      let first = NaN;
      for (const [i, q] of QUESTIONS.entries()) {
        const t0 = performance.now();
        await answerQuestion(library.db, row.id, q, withModel ? { model } : {});
        const ms = performance.now() - t0;
        if (i === 0 && table.rows.length === 0) first = ms;
        else times.push(ms);
      }
      table.rows.push([name, times.length, median(times), Math.min(...times), Math.max(...times), Number.isNaN(first) ? '' : first]);
    }
    table.notes!.push(
      `${read.tokens.toLocaleString('en-US')} tokens read by ${model.manifest.id} on the CPU; the first question builds the book's sentence index (kept for the next ones) and is left out of the median`,
    );
  } finally {
    await model.release();
    library.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return table;
}
