// The `lectern` command as a user runs it: real files, a real library file, a child process.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, hasFixture } from '../support/fixtures.js';
import { runCli } from '../support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'lectern-cli-'));
const db = join(dir, 'library.sqlite');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const contract = fixture('contracts/common-paper-cloud-service-agreement-with-sla.docx');

describe('lectern read', () => {
  it('adds a document and reports the fixed JSON fields', () => {
    const r = runCli(['read', contract, '--json'], { db });
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    for (const key of ['id', 'title', 'kind', 'pages', 'chars', 'tokens', 'cached', 'device', 'timings_ms', 'tokens_per_second', 'peak_rss_mb']) {
      expect(out).toHaveProperty(key);
    }
    expect(out.id).toMatch(/^[0-9a-f]{64}$/);
    expect(out.kind).toBe('docx');
    expect(out.pages).toBeNull();
    expect(out.chars).toBeGreaterThan(10_000);
    expect(out.cached).toBe(false);
    expect(out.timings_ms).toHaveProperty('ingest');
    expect(out.peak_rss_mb).toBeGreaterThan(10);
  });

  it('finds the same bytes in the library the second time, under another name too', () => {
    const copy = join(dir, 'renamed.bin');
    copyFileSync(contract, copy);
    const r = runCli(['read', copy, '--json'], { db });
    expect(r.code).toBe(0);
    const again = JSON.parse(r.stdout);
    expect(again.cached).toBe(true);
    // The finished reading is answered from the store: nothing is read again.
    expect(again.timings_ms.read).toBe(0);
    expect(again.resumed_from).toBe(again.tokens);
    expect(again.tokens).toBeGreaterThan(1000);
  });
});

describe('lectern search / info / text', () => {
  it('search returns cited passages ranked by score', () => {
    const r = runCli(['search', contract, 'suspend access undisputed balance', '--json', '--top', '3'], { db });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.query).toBe('suspend access undisputed balance');
    expect(out.results.length).toBeGreaterThan(0);
    expect(out.results.length).toBeLessThanOrEqual(3);
    expect(out.results[0].quote.toLowerCase()).toContain('undisputed');
    const scores = out.results.map((x: { score: number }) => x.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('info lists headings; text prints blocks', () => {
    const info = JSON.parse(runCli(['info', contract, '--json'], { db }).stdout);
    expect(info.headings.length).toBeGreaterThan(3);
    // The first test read it through the model.
    expect(info.reading.status).toBe('done');
    expect(info.reading.tokens_done).toBe(info.reading.tokens_total);
    // The shipped model reads with its reading graph: no surprisal until it is scored.
    expect(info.reading.scored).toBe(false);
    const text = runCli(['text', contract, '--json'], { db });
    expect(text.code).toBe(0);
    const t = JSON.parse(text.stdout);
    expect(t.blocks.length).toBeGreaterThan(20);
    expect(t.blocks[0]).toHaveProperty('kind');
    const plain = runCli(['text', contract], { db });
    expect(plain.stdout).toContain('Order Form');
  });
});

describe('lectern score', () => {
  it('scores a reading once, by position, and the reading remembers it', () => {
    const before = JSON.parse(runCli(['read', contract, '--json'], { db }).stdout);
    expect(before.bits_per_byte).toBeNull();
    const r = runCli(['score', contract, '--json'], { db });
    expect(r.code, r.stderr).toBe(0);
    const score = JSON.parse(r.stdout);
    expect(score.tokens).toBe(before.tokens);
    expect(score.bits_per_byte).toBeGreaterThan(0.5);
    expect(score.bits_per_byte).toBeLessThan(4);
    expect(score.by_position.map((b: { from: number }) => b.from)).toEqual([0, 2048, 8192]);
    expect(JSON.parse(runCli(['info', contract, '--json'], { db }).stdout).reading.scored).toBe(true);
    const after = JSON.parse(runCli(['read', contract, '--json'], { db }).stdout);
    expect(after.bits_per_byte).toBeCloseTo(score.bits_per_byte, 3); // read rounds to 3 decimals
  });
});

describe('exit codes', () => {
  it('2 for usage errors and missing files', () => {
    expect(runCli([], { db }).code).toBe(0);
    expect(runCli(['frobnicate'], { db }).code).toBe(2);
    expect(runCli(['read'], { db }).code).toBe(2);
    expect(runCli(['read', contract, '--device', 'tpu'], { db }).code).toBe(2);
    const missing = runCli(['read', join(dir, 'nope.pdf')], { db });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
  });

  it('--device gpu reads on a GPU provider, or exits 1 with a one-line reason where there is none', () => {
    // A library of its own: a finished reading is answered from the store, on any device.
    const r = runCli(['read', contract, '--device', 'gpu', '--json'], { db: join(dir, 'gpu.sqlite') });
    if (r.code === 0) {
      expect(JSON.parse(r.stdout).device.provider).not.toBe('cpu');
    } else {
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/no GPU execution provider works here \(webgpu: .+\)/);
    }
  });

  it('3 with a one-line reason for empty and unsupported input', () => {
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '');
    const r = runCli(['read', empty], { db });
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('empty');
    const png = join(dir, 'picture.pdf');
    writeFileSync(png, Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
    const p = runCli(['read', png], { db });
    expect(p.code).toBe(3);
    expect(p.stderr).toContain('unsupported format');
  });


  it.runIf(hasFixture('tricky/issue6010_1.pdf'))('3 "encrypted: password required" without --password; 0 with the right one', () => {
    const pdf = fixture('tricky/issue6010_1.pdf');
    const locked = runCli(['read', pdf], { db });
    expect(locked.code).toBe(3);
    expect(locked.stderr).toContain('encrypted: password required');
    const wrong = runCli(['read', pdf, '--password', 'nope'], { db });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain('incorrect password');
    const open = runCli(['text', pdf, '--password', 'abc', '--json'], { db });
    expect(open.code).toBe(0);
    expect(JSON.parse(open.stdout).pages).toBeGreaterThan(0);
  });
});
