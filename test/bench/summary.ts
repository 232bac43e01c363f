// `npm run bench -- summary`: the time to summarise a stored document the first time (no stored
// summary: load, sentences, centrality, selection, outline, facts, store) and from the store,
// medians of several runs, on the 352-page book and a long novel. Ingestion is not included
// (`npm run bench -- ingest` measures it): a summary is asked of a document already added.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Library } from '../../main/core/library.js';
import { deleteSummaries } from '../../main/core/store/summaries.js';
import { fixture, hasFixture } from '../support/fixtures.js';
import type { BenchTable } from './table.js';

const DOCUMENTS = ['books/freeculture.pdf', 'novels/pride_and_prejudice.txt', 'zh/hongloumeng-ch001-010.md'];
const FIRST_RUNS = 5;
const CACHED_RUNS = 20;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export async function benchSummary(): Promise<BenchTable> {
  const dir = mkdtempSync(join(tmpdir(), 'lectern-bench-summary-'));
  const library = Library.open(join(dir, 'library.sqlite'));
  const rows: (string | number)[][] = [];
  try {
    for (const rel of DOCUMENTS.filter(hasFixture)) {
      const { row } = await library.add(fixture(rel));
      const first: number[] = [];
      const cached: number[] = [];
      for (let i = 0; i < FIRST_RUNS; i++) {
        deleteSummaries(library.db, row.id);
        const t0 = performance.now();
        const s = library.summary(row.id);
        first.push(performance.now() - t0);
        if (s.cached) throw new Error('a summary was served from the store after its row was deleted');
      }
      for (let i = 0; i < CACHED_RUNS; i++) {
        const t0 = performance.now();
        const s = library.summary(row.id);
        cached.push(performance.now() - t0);
        if (!s.cached) throw new Error('the stored summary was not served');
      }
      rows.push([rel, row.pages ?? '', row.chars, Math.round(median(first)), Math.round(Math.min(...first)), Math.round(Math.max(...first)), median(cached)]);
    }
  } finally {
    library.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    title: 'Summary: first time and from the store (ms)',
    columns: ['document', 'pages', 'characters', 'first (median)', 'first (min)', 'first (max)', 'stored (median)'],
    rows,
    notes: [
      `First time: median of ${FIRST_RUNS} runs, the stored row deleted before each; stored: median of ${CACHED_RUNS} runs.`,
      'Aims (issue 20): the 352-page book in at most 15 s the first time and 100 ms from the store.',
    ],
  };
}
