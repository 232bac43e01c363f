// `lectern score` on a held-out validation document gives the bits per byte that the PyTorch
// model gives (models/train/document_bpb.py, evaluate.py's method), with the same tokens and
// bytes. Both sides read [bos] + the document's tokens and score every document token, so a
// drift in the model file, the tokenizer, the ingestion of plain text, the stream convention or
// the scorer's sums moves the figure or the counts.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, repoRoot } from '../support/fixtures.js';
import { runCli } from '../support/run-cli.js';

interface Reference {
  bits_per_byte: number;
  tokens: number;
  bytes: number;
  model_id: string;
  by_position: Record<string, number>;
}

interface CliScore {
  tokens: number;
  bytes: number;
  bits_per_byte: number;
  by_position: { from: number; to: number | null; bits_per_byte: number }[];
}

const NAME = 'validation/spc-civil-procedure-interpretation-zh';
const reference = JSON.parse(readFileSync(fixture(`${NAME}.json`), 'utf8')) as Reference;
/** evaluate.py's bucket names, by the first document token index of each bucket. */
const BUCKET_NAMES: Record<number, string> = { 0: '0-2k', 2048: '2k-8k', 8192: '8k-32k', 32768: '32k-128k', 131072: '128k+' };

const dir = mkdtempSync(join(tmpdir(), 'lectern-score-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const relative = (a: number, b: number): number => Math.abs(a - b) / b;

describe('lectern score against the PyTorch figure', () => {
  it('is recorded for the model the application ships', () => {
    // A new default model needs its own figure: recompute the JSON with document_bpb.py.
    expect(readFileSync(join(repoRoot, 'models', 'default.txt'), 'utf8').trim()).toBe(reference.model_id);
  });

  it('reproduces bits per byte within 1 % with exactly the same tokens and bytes', () => {
    const r = runCli(['score', fixture(`${NAME}.txt`), '--json'], {
      db: join(dir, 'library.sqlite'),
      env: { LECTERN_MODEL: reference.model_id },
    });
    expect(r.code, r.stderr).toBe(0);
    const score = JSON.parse(r.stdout) as CliScore;
    expect(score.tokens).toBe(reference.tokens);
    expect(score.bytes).toBe(reference.bytes);
    expect(relative(score.bits_per_byte, reference.bits_per_byte)).toBeLessThan(0.01);
    // Position buckets pin where each token is counted, not only the total.
    expect(score.by_position.map((b) => BUCKET_NAMES[b.from])).toEqual(Object.keys(reference.by_position));
    for (const b of score.by_position) {
      expect(relative(b.bits_per_byte, reference.by_position[BUCKET_NAMES[b.from]])).toBeLessThan(0.01);
    }
  });
});
