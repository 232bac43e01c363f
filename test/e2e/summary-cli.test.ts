// `lectern summary` as a user runs it: a child process, a real library file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture } from '../support/fixtures.js';
import { runCli } from '../support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'lectern-summary-cli-'));
const db = join(dir, 'library.sqlite');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lectern summary', () => {
  const contract = fixture('contracts/series-seed-preferred-stock-investment-agreement.md');

  it('prints the summary as JSON: genre, cited overview, outline and facts', () => {
    const r = runCli(['summary', contract, '--json'], { db });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ kind: 'md', genre: 'contract', model: null, cached: false });
    expect(out.title).toBe('SERIES SEED PREFERRED STOCK INVESTMENT AGREEMENT');
    // The text as Lectern extracted it: every quote is at its offsets there.
    const text = runCli(['text', contract], { db }).stdout;
    expect(out.summary.length).toBeGreaterThanOrEqual(5);
    for (const s of out.summary) {
      expect(Object.keys(s).sort()).toEqual(['end', 'page', 'paragraph', 'section', 'start', 'text']);
      expect(text.slice(s.start, s.end)).toBe(s.text);
    }
    expect(out.outline[0]).toHaveProperty('heading');
    expect(out.facts.map((f: { key: string }) => f.key)).toContain('governing-law');
    for (const f of out.facts) {
      expect(text.slice(f.start, f.end)).toBe(f.quote);
      expect(f.quote).toContain(f.value);
    }

    const again = JSON.parse(runCli(['summary', contract, '--json'], { db }).stdout);
    expect(again.cached).toBe(true);
    expect({ ...again, cached: false }).toEqual(out);
  });

  it('prints a readable summary without --json', () => {
    const r = runCli(['summary', contract], { db });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^SERIES SEED PREFERRED STOCK INVESTMENT AGREEMENT \(contract\)\n\nOverview:\n/);
    expect(r.stdout).toContain('Key facts:');
    expect(r.stdout).toContain('Governing law:');
  });

  it('rejects a document it cannot read with exit code 3 and one line', () => {
    const broken = join(dir, 'broken.docx');
    writeFileSync(broken, 'PK\u0003\u0004 not really a zip');
    const r = runCli(['summary', broken], { db });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^lectern: .*broken\.docx: /);
  });

  it('exits 2 on a usage error', () => {
    expect(runCli(['summary'], { db }).code).toBe(2);
    expect(runCli(['summary', join(dir, 'missing.pdf')], { db }).code).toBe(2);
  });
});
