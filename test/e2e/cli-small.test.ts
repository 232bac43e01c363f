// The small things a user meets first (issue 18, item 8), through the real command.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, repoRoot } from '../support/fixtures.js';
import { makePdf } from '../support/make-pdf.js';
import { runCli } from '../support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'lectern-cli-small-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'library.sqlite');

describe('version and help', () => {
  it('--version and -V print the package version', () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = runCli([flag], { db });
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`lectern ${version}\n`);
    }
  });

  it('--help has one line per command with an example', () => {
    const help = runCli(['--help'], { db }).stdout;
    for (const command of ['read', 'search', 'info', 'text', 'score']) {
      expect(help).toMatch(new RegExp(`^  ${command} +[^\\n]+: lectern ${command} \\S+`, 'm'));
    }
  });
});

describe('counts', () => {
  it('"1 page", not "1 pages"', () => {
    const pdf = join(dir, 'one-page.pdf');
    writeFileSync(pdf, makePdf({ pages: 1, seed: 3 }).bytes);
    const info = runCli(['info', pdf], { db });
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toMatch(/pdf, 1 page,/);
  });

  it('read and score count the same tokens, and no bucket reaches past the end', () => {
    const doc = fixture('contracts/bonterms-mutual-nda.docx');
    const read = JSON.parse(runCli(['read', doc, '--json'], { db }).stdout);
    const r = runCli(['score', doc, '--json'], { db });
    expect(r.code, r.stderr).toBe(0);
    const score = JSON.parse(r.stdout);
    expect(score.tokens).toBe(read.tokens);
    const last = score.by_position.at(-1);
    expect(last.to).toBe(score.tokens);
    const info = JSON.parse(runCli(['info', doc, '--json'], { db }).stdout);
    expect(info.reading.tokens_total).toBe(read.tokens);
  });
});

/** Starts `lectern read` and interrupts it (Ctrl-C) once its progress has passed `tokens`. */
function readUntil(file: string, tokens: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'lectern.js'), 'read', file], { env: { ...process.env, LECTERN_DB: db } });
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const done = [...stderr.matchAll(/reading: ([\d,]+)\//g)].map((m) => Number(m[1].replace(/,/g, '')));
      if (!sent && done.some((n) => n >= tokens)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('a resumed read', () => {
  it('says where it resumed, and its JSON says cached: false, resumed_from: N', async () => {
    const novel = fixture('novels/pride_and_prejudice.txt');
    const first = await readUntil(novel, 40_000);
    expect(first.code, first.stderr).toBe(130);
    const r = runCli(['read', novel, '--json'], { db });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.cached).toBe(false);
    expect(out.in_library).toBe(true);
    expect(out.resumed_from).toBeGreaterThan(16_000);
    expect(out.resumed_from).toBeLessThan(out.tokens);
    // A finished reading is then cached.
    const again = runCli(['read', novel], { db });
    expect(again.stdout).toMatch(/already read/);
    expect(JSON.parse(runCli(['read', novel, '--json'], { db }).stdout)).toMatchObject({ cached: true, resumed_from: out.tokens });
  });
});

/** Runs `lectern read --json` as a child process on the given library. */
function readJson(file: string, library: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'lectern.js'), 'read', file, '--json'], { env: { ...process.env, LECTERN_DB: library } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the same document read twice at once', () => {
  it('is read once: the second process waits for the first and takes its reading', async () => {
    const library = join(dir, 'two-readers.sqlite');
    const novel = fixture('novels/pride_and_prejudice.txt');
    const runs = await Promise.all([readJson(novel, library), readJson(novel, library)]);
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const out = runs.map((r) => JSON.parse(r.stdout));
    // Exactly one ran the model; the other waited, said so, and got the same reading.
    const readers = out.filter((o) => o.timings_ms.read > 0);
    expect(readers).toHaveLength(1);
    const waiter = runs[out.findIndex((o) => o.timings_ms.read === 0)];
    expect(waiter.stderr).toMatch(/another lectern process \(pid \d+ on .+\) is reading this document; waiting for it/);
    expect(out[0].tokens).toBe(out[1].tokens);
  });
});
