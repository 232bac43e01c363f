// Environment errors through the real command: a --db that cannot be a library is refused in one
// line with the usage exit code and left byte for byte as it was; with --json every failure is
// also `{"error": {"code", "message"}}` on stdout.
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture } from '../support/fixtures.js';
import { runCli } from '../support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'lectern-cli-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'library.sqlite');
const doc = fixture('novels/pride_and_prejudice.txt');

function notALibrary(): Array<[string, string, RegExp]> {
  const folder = join(dir, 'a-folder');
  mkdirSync(folder, { recursive: true });
  const text = join(dir, 'notes.txt');
  writeFileSync(text, 'These are my notes, not a database.\n'.repeat(200));
  const foreign = join(dir, 'contacts.sqlite');
  const other = new Database(foreign);
  other.exec("CREATE TABLE contacts (name TEXT, phone TEXT); INSERT INTO contacts VALUES ('Ada', '555-0100');");
  other.close();
  return [
    ['a directory', folder, /is a directory/],
    ['a file that is not a database', text, /not a SQLite database/],
    ["another application's SQLite file", foreign, /another application's SQLite database \(tables: contacts\)/],
  ];
}

describe('--db that cannot be a library', () => {
  for (const [what, path, reason] of notALibrary()) {
    it(`${what}: one line, exit 2, the path untouched`, () => {
      const before = what === 'a directory' ? null : readFileSync(path);
      const r = runCli(['search', doc, 'Darcy', '--db', path], { db });
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(reason);
      expect(r.stderr).toContain(path);
      expect(r.stderr).not.toMatch(/SqliteError|internal error|\n\s+at /);
      expect(r.stdout).toBe('');
      if (before !== null) expect(readFileSync(path).equals(before)).toBe(true);

      const j = runCli(['info', doc, '--db', path, '--json'], { db });
      expect(j.code).toBe(2);
      const out = JSON.parse(j.stdout);
      expect(out.error.code).toBe('bad-path');
      expect(out.error.message).toMatch(reason);
      if (before !== null) expect(readFileSync(path).equals(before)).toBe(true);
    });
  }
});

describe('--json errors on stdout, exit codes unchanged', () => {
  it('usage', () => {
    const r = runCli(['search', doc, '--top', 'many', '--json'], { db });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'usage', message: '--top must be an integer from 1 to 100' } });
  });

  it('usage, in one line without the usage text that stderr shows', () => {
    const r = runCli(['frobnicate', '--json'], { db });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'usage', message: 'unknown command "frobnicate"' } });
    expect(r.stderr).toContain('Usage:');
  });

  it('a missing file', () => {
    const r = runCli(['info', join(dir, 'nowhere.pdf'), '--json'], { db });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'usage', message: expect.stringMatching(/no such file/) });
  });

  it('an input rejected', () => {
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '');
    const r = runCli(['info', empty, '--json'], { db });
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'empty', message: 'empty' } });
  });
});
