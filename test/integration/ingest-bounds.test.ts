// Nothing hangs (issue 18, item 9): every stage of ingestion has a bound. A page pdf.js cannot
// finish is skipped with a warning; a document past its whole bound is rejected ('timeout').
// The parser runs in the built worker (dist/main/ingest-worker.js), as the CLI runs it.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputRejected } from '../../main/core/errors.js';
import { Library } from '../../main/core/library.js';
import { repoRoot } from '../support/fixtures.js';
import { makeLoopingPdf } from '../support/make-looping-pdf.js';
import { makePdf } from '../support/make-pdf.js';
import { runCli } from '../support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'lectern-bounds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

async function addRejected(file: string, options: Parameters<Library['add']>[1]): Promise<{ error: InputRejected; warnings: string[] }> {
  const library = Library.open(join(dir, `${Math.random().toString(36).slice(2)}.sqlite`));
  const warnings: string[] = [];
  try {
    await library.add(file, { ...options, onWarning: (w) => warnings.push(w) });
  } catch (error) {
    if (error instanceof InputRejected) return { error, warnings };
    throw error;
  } finally {
    library.close();
  }
  throw new Error(`${file} was added, not rejected`);
}

describe('bounded ingestion', () => {
  it('skips a page whose drawing never finishes and goes on with the next', async () => {
    const file = write('looping.pdf', makeLoopingPdf({ pages: 3, loopingPage: 2, imagePages: [3] }));
    const { error, warnings } = await addRejected(file, { bounds: { pageMs: 2_000 } });
    // Page 3's image still tells a scanned document from an empty one.
    expect(error.reason).toBe('scanned');
    expect(warnings).toEqual(['page 2 skipped: its drawing did not finish within 2 s']);
  }, 60_000);

  it('rejects a document past its whole bound with the reason timeout', async () => {
    const file = write('book.pdf', makePdf({ pages: 5, seed: 3 }).bytes);
    const { error, warnings } = await addRejected(file, { bounds: { baseMs: 0, perPageMs: 0, perMibMs: 0 } });
    expect(error.reason).toBe('timeout');
    expect(error.message).toMatch(/^timed out: not read within 0 s, the bound for /);
    expect(warnings).toEqual([]);
  }, 60_000);

  it('reads the same document within the default bounds', async () => {
    const file = write('book-again.pdf', makePdf({ pages: 5, seed: 3 }).bytes);
    const library = Library.open(join(dir, 'ok.sqlite'));
    try {
      const warnings: string[] = [];
      const added = await library.add(file, { onWarning: (w) => warnings.push(w) });
      expect(added.row.pages).toBe(5);
      expect(warnings).toEqual([]);
      expect(added.warnings).toEqual([]);
    } finally {
      library.close();
    }
  }, 60_000);
});

const cycle = resolve(repoRoot, '..', 'shared', 'robustness', 'pdfjs', 'operator_list_cycle.pdf');

describe.skipIf(!existsSync(cycle))('pdf.js operator_list_cycle.pdf', () => {
  it('ends within the default page bound with a warning and a one-line rejection', () => {
    // Before the bound, pdf.js recursed through its pattern for ever on the calling thread.
    const r = runCli(['read', cycle], { db: join(dir, 'cycle.sqlite'), timeoutMs: 50_000 });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('warning: ');
    expect(r.stderr).toContain('page 1 skipped: its drawing did not finish within 10 s');
    expect(r.stderr.trim().split('\n').pop()).toMatch(/operator_list_cycle\.pdf: empty$/);
  }, 60_000);
});
