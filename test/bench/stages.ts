// Time per stage on real documents: ingest, passages, store + index, the model's reading, and a
// search — the whole path a document takes, so a regression anywhere shows where it is.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createHash } from 'node:crypto';
import { ingest } from '../../main/core/ingest/index.js';
import { defaultModelDir } from '../../main/core/model/default-model.js';
import { readDocument } from '../../main/core/reading/reader.js';
import { openModel } from '../../main/core/model/session.js';
import { loadTokenizer } from '../../main/core/model/tokenizer/tokenizer.js';
import { openDb } from '../../main/core/store/db.js';
import { insertDocument } from '../../main/core/store/documents.js';
import { searchPassages } from '../../main/core/answer/search.js';
import { makePassages } from '../../main/core/text/passages.js';
import { fixture, hasFixture } from '../support/fixtures.js';
import type { BenchTable } from './table.js';

const DOCUMENTS: { path: string; query: string }[] = [
  { path: 'papers/tracemonkey.pdf', query: 'trace trees type specialization' },
  { path: 'contracts/common-paper-cloud-service-agreement-with-sla.docx', query: 'suspend access undisputed balance' },
  { path: 'zh/hongloumeng-ch001-010.md', query: '甄士隐梦幻识通灵' },
  { path: 'novels/pride_and_prejudice.txt', query: 'a single man in possession of a good fortune' },
];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (t0: number): number => performance.now() - t0;

export async function benchStages(runs = 3): Promise<BenchTable> {
  const table: BenchTable = {
    title: 'Time per stage (ms, median of runs), CPU',
    columns: ['document', 'chars', 'tokens', 'ingest', 'passages', 'store + index', 'tokenize', 'tokenize MB/s', 'model read', 'read tokens/s', 'search'],
    rows: [],
    notes: [
      `median of ${runs} runs, each into a fresh library file; model: ${basename(defaultModelDir())}, its reading graph on the cpu provider, in-process (the CLI runs it in a worker thread)`,
      'tokenize: the whole text by a tokenizer loaded afresh for each run (its word cache empty); model read tokenizes again, inside its time',
    ],
  };
  const model = await openModel(defaultModelDir(), 'cpu', { graph: 'reader' });
  const dir = mkdtempSync(join(tmpdir(), 'lectern-bench-stages-'));
  try {
    for (const { path, query } of DOCUMENTS) {
      if (!hasFixture(path)) {
        table.notes!.push(`${path}: not found (needs ../shared/fixtures), skipped`);
        continue;
      }
      const bytes = new Uint8Array(readFileSync(fixture(path)));
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const t = { ingest: [] as number[], passages: [] as number[], index: [] as number[], tokenize: [] as number[], read: [] as number[], search: [] as number[] };
      let chars = 0;
      let textBytes = 0;
      let tokens = 0;
      for (let r = 0; r < runs; r++) {
        const db = openDb(join(dir, `${r}-${basename(path)}.sqlite`));
        let t0 = performance.now();
        const doc = await ingest(bytes, { fileName: basename(path) });
        t.ingest.push(ms(t0));
        t0 = performance.now();
        const passages = makePassages(doc);
        t.passages.push(ms(t0));
        t0 = performance.now();
        const row = insertDocument(db, { sha256, bytes: bytes.byteLength, fileName: basename(path), sourcePath: null, doc, passages });
        t.index.push(ms(t0));
        const tokenizer = loadTokenizer(defaultModelDir(), model.manifest);
        t0 = performance.now();
        tokenizer.encode(doc.text);
        t.tokenize.push(ms(t0));
        t0 = performance.now();
        const read = await readDocument(db, model, row.id);
        t.read.push(ms(t0));
        t0 = performance.now();
        searchPassages(db, row.id, query, 5);
        t.search.push(ms(t0));
        chars = doc.text.length;
        textBytes = Buffer.byteLength(doc.text);
        tokens = read.tokens;
        db.close();
      }
      const readMs = median(t.read);
      table.rows.push([
        path,
        chars,
        tokens,
        Math.round(median(t.ingest)),
        Math.round(median(t.passages)),
        Math.round(median(t.index)),
        Math.round(median(t.tokenize)),
        +(textBytes / 1e6 / (median(t.tokenize) / 1000)).toFixed(2),
        Math.round(readMs),
        Math.round(tokens / (readMs / 1000)),
        +median(t.search).toFixed(1),
      ]);
    }
  } finally {
    await model.release();
    rmSync(dir, { recursive: true, force: true });
  }
  return table;
}
