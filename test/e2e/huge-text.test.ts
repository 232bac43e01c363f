// Huge plain text (issue 18, item 5): a file of tens of MB shows progress while it is added
// instead of working in silence, a file past the documented limit is refused with exit 3 before
// it can exhaust the machine, and an add killed half way (the document is streamed into the store
// in one transaction) leaves nothing of it. The files are generated here, never committed. Speed and
// memory are measured by `npm run bench -- huge`, not asserted.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_TEXT_BYTES } from '../../main/core/ingest/index.js';
import { openDb } from '../../main/core/store/db.js';
import { readWholeText } from '../../main/core/store/document-text.js';
import { repoRoot } from '../support/fixtures.js';
import { writeLongText } from '../support/long-text.js';
import { runCli } from '../support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'lectern-huge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('huge plain text', () => {
  it('reports progress while a 20 MiB file is added', () => {
    const file = join(dir, 'long.txt');
    writeLongText(file, 20);
    const r = runCli(['info', file, '--json'], { db: join(dir, 'library.sqlite'), timeoutMs: 300_000 });
    expect(r.code).toBe(0);
    // Progress lines (stderr is not a TTY here: one line each) name their stage and unit, and
    // the first comes from the first stage, before the text is parsed.
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('ingesting: '));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^ingesting: [\d,]+\/[\d,]+ KiB read, pass [1-4] of 4 \((hashing|scanning|measuring|parsing)\) \(\d+%\)(, about \d+ s left)?$/);
    expect(JSON.parse(r.stdout).chars).toBeGreaterThan(19 * 2 ** 20);
  }, 300_000);

  it('lectern text writes the stored text a range at a time, a surrogate pair cut by a range kept whole', () => {
    const file = join(dir, 'ranges.txt');
    // The emoji's two halves straddle the first range's end (2^20 characters).
    const line = `${'word '.repeat(20)}\n`;
    writeFileSync(file, `${'x'.repeat(2 ** 20 - 1)}😀 end of the first paragraph\n\n${line.repeat(40_000)}`);
    const db = join(dir, 'ranges.sqlite');
    const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'lectern.js'), 'text', file], {
      encoding: 'utf8',
      maxBuffer: 64 * 2 ** 20,
      env: { ...process.env, LECTERN_DB: db },
    });
    expect(r.status, r.stderr).toBe(0);
    const library = openDb(db);
    try {
      const stored = readWholeText(library, 1);
      expect(stored.length).toBeGreaterThan(3 * 2 ** 20);
      expect(r.stdout === `${stored}\n`).toBe(true);
    } finally {
      library.close();
    }
  }, 120_000);

  it('refuses a text file past the limit with exit 3 and the reason', () => {
    const file = join(dir, 'too-long.txt');
    writeLongText(file, MAX_TEXT_BYTES / 2 ** 20 + 1);
    const r = runCli(['info', file], { db: join(dir, 'refused.sqlite') });
    expect(r.code).toBe(3);
    const last = r.stderr.trim().split('\n').at(-1);
    expect(last).toMatch(/^lectern: .*too-long\.txt: too large: 25[78] MiB of text is over the 256 MiB limit for plain text$/);
  }, 120_000);

  it('an add killed while it writes the document leaves the library without a trace of it, and the file can be added again', async () => {
    const file = join(dir, 'killed.txt');
    writeLongText(file, 24);
    const db = join(dir, 'killed.sqlite');
    // Killed (SIGKILL, nothing can clean up) once the last pass, which writes, is under way.
    const killed = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [join(repoRoot, 'bin', 'lectern.js'), 'info', file], { env: { ...process.env, LECTERN_DB: db } });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/pass 4 of 4 \(parsing\)/.test(stderr)) child.kill('SIGKILL');
      });
      child.on('error', reject);
      child.on('close', (_code, signal) => resolve(signal ?? 'exited'));
    });
    expect(killed).toBe('SIGKILL');
    const library = openDb(db);
    try {
      expect(library.pragma('integrity_check', { simple: true })).toBe('ok');
      for (const table of ['documents', 'document_text', 'blocks', 'passages']) {
        expect(library.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(0);
      }
    } finally {
      library.close();
    }
    const again = runCli(['info', file, '--json'], { db, timeoutMs: 300_000 });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).chars).toBeGreaterThan(23 * 2 ** 20);
  }, 300_000);
});
