// What ingestion removed or could not read reaches the user (issue 18, items 6 and 7): `info`
// and `read` show it as text and as `warnings` in their JSON.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture } from '../support/fixtures.js';
import { runCli } from '../support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'lectern-warnings-'));
const db = join(dir, 'library.sqlite');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lectern info: two Gutenberg books in one file', () => {
  const books = join(dir, 'two-books.txt');
  writeFileSync(books, Buffer.concat([readFileSync(fixture('novels/pride_and_prejudice.txt')), readFileSync(fixture('novels/sherlock_holmes.txt'))]));

  it('lists what was removed, where and how much, in JSON and as text', () => {
    const r = runCli(['info', books, '--json'], { db });
    expect(r.code).toBe(0);
    const { warnings } = JSON.parse(r.stdout) as { warnings: Array<{ code: string; where: string; chars: number; lines: number[]; message: string }> };
    expect(warnings.map((w) => [w.code, w.where])).toEqual([
      ['boilerplate-removed', 'start'],
      ['boilerplate-removed', 'end'],
    ]);
    expect(warnings.every((w) => w.chars > 0 && w.lines[0] <= w.lines[1])).toBe(true);
    const human = runCli(['info', books], { db });
    expect(human.stdout).toMatch(/^warning: removed [\d,]+ characters of Project Gutenberg header/m);
  });
});

describe('lectern read: a PDF with garbled pages', () => {
  const tam = fixture('papers/TAMReview.pdf');

  it('warns with the pages, in JSON and on stderr', () => {
    const r = runCli(['read', tam, '--json'], { db });
    expect(r.code).toBe(0);
    const { warnings } = JSON.parse(r.stdout) as { warnings: Array<{ code: string; pages: number[] }> };
    expect(warnings).toEqual([expect.objectContaining({ code: 'unreadable-pages', pages: Array.from({ length: 21 }, (_, i) => i + 2) })]);
    const human = runCli(['read', tam], { db });
    expect(human.code).toBe(0);
    expect(human.stderr).toContain('warning: 21 pages (2–22): the text layer reads as symbols, not words');
  });

  it('a clean document has no warnings', () => {
    const r = runCli(['info', fixture('papers/tracemonkey.pdf'), '--json'], { db });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).warnings).toEqual([]);
  });
});
