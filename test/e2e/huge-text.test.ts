// Huge plain text (issue 18, item 5): a file of tens of MB shows progress while it is added
// instead of working in silence, and a file past the documented limit is refused with exit 3
// before it can exhaust the machine. The files are generated here, never committed. Speed and
// memory are measured by `npm run bench -- huge`, not asserted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_TEXT_BYTES } from '../../main/core/ingest/index.js';
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
    for (const line of lines) expect(line).toMatch(/^ingesting: [\d,]+\/[\d,]+ (KiB read|KiB decoded|paragraphs parsed|blocks|sections split|passages indexed) \(\d+%\)(, about \d+ s left)?$/);
    expect(JSON.parse(r.stdout).chars).toBeGreaterThan(19 * 2 ** 20);
  }, 300_000);

  it('refuses a text file past the limit with exit 3 and the reason', () => {
    const file = join(dir, 'too-long.txt');
    writeLongText(file, MAX_TEXT_BYTES / 2 ** 20 + 1);
    const r = runCli(['info', file], { db: join(dir, 'refused.sqlite') });
    expect(r.code).toBe(3);
    const last = r.stderr.trim().split('\n').at(-1);
    expect(last).toMatch(/^lectern: .*too-long\.txt: too large: 65 MiB of text is over the 64 MiB limit for plain text and Markdown$/);
  }, 120_000);
});
