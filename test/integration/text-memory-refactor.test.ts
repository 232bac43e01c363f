// Adding a text file was rewritten to hold less of it in memory (issue 18, 2026-12-05): lines as
// offsets instead of strings, paragraphs joined once, the Document's text gathered in chunks and
// its blocks sliced from it. What it produces must not change: these digests of the Document
// (text, blocks, title, notes) and its passages were taken with the code before that change.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../main/core/ingest/index.js';
import { makePassages } from '../../main/core/text/passages.js';
import { fixture } from '../support/fixtures.js';
import { writeLongText } from '../support/long-text.js';

async function digest(path: string): Promise<string> {
  const doc = await ingest(readFileSync(path), { fileName: path.split('/').pop() });
  const passages = makePassages(doc);
  const blocks = doc.blocks.map((b) => [b.kind, b.level, b.page, b.start, b.end, b.text]);
  const json = JSON.stringify({ title: doc.title, author: doc.author, text: doc.text, blocks, notes: doc.notes, passages });
  return createHash('sha256').update(json).digest('hex').slice(0, 16);
}

describe('text ingestion after the memory rework', () => {
  it.each([
    ['novels/pride_and_prejudice.txt', '991cc603bef6a871'],
    ['novels/middlemarch.txt', 'ac0f5d9ac4090ffc'],
    ['novels/moby_dick.txt', '087570ef443a24a3'],
    ['licenses/MPL-2.0.txt', 'bfd16d99b190c7c5'],
    ['zh/hongloumeng-ch001-010.md', '67d8df63b4888795'],
    ['zh/encoding-sample.gb18030.txt', '104627e2ec3037fe'],
  ])('%s gives the same Document and passages as before', async (path, expected) => {
    expect(await digest(fixture(path))).toBe(expected);
  });

  it('a generated 3 MiB text gives the same Document and passages as before', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lectern-text-memory-'));
    try {
      const file = join(dir, 'long.txt');
      writeLongText(file, 3);
      expect(await digest(file)).toBe('621d0b214935aa83');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
