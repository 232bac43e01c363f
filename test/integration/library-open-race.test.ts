// Several processes opening one new library at the same moment (two `lectern read` of a document
// started together, the app and the CLI): each must find the schema made once, not make it again.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'lectern-open-race-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const dbModule = pathToFileURL(join(repoRoot, 'dist', 'main', 'core', 'store', 'db.js')).href;

/** A process that waits for `go` on stdin, then opens the library and closes it. */
function opener(path: string): { go: () => void; done: Promise<{ code: number | null; stderr: string }> } {
  const script = `const { openDb } = await import(${JSON.stringify(dbModule)});
process.stdin.once('data', () => { try { openDb(${JSON.stringify(path)}).close(); process.exit(0); } catch (e) { console.error(e instanceof Error ? e.stack : String(e)); process.exit(1); } });`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stderr })));
  return { go: () => child.stdin.write('go\n'), done };
}

describe('opening a new library from several processes at once', () => {
  it('makes its schema once: every process opens it', async () => {
    for (let round = 0; round < 3; round++) {
      const path = join(dir, `library-${round}.sqlite`);
      const processes = Array.from({ length: 6 }, () => opener(path));
      // Let every process load its modules first, so that the opens themselves coincide.
      await new Promise((r) => setTimeout(r, 1500));
      for (const p of processes) p.go();
      const results = await Promise.all(processes.map((p) => p.done));
      for (const r of results) expect(r, r.stderr).toMatchObject({ code: 0 });
    }
  }, 60_000);
});
