// `ask` on a document too long to rank its sentences (past MAX_WHOLE_CHARS the sentence index
// would take gigabytes) answers from full-text search instead of refusing, alone and across the
// library, while the summary still refuses it. A real 64M-character document takes half a minute
// and 200 MB to add, so the stored character count of real, small documents is raised past the
// limit: it is what decides (store/documents.ts's documentChars), and search reads the real text.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../main/core/errors.js';
import { Library } from '../../main/core/library.js';
import { readTextRange } from '../../main/core/store/document-text.js';
import { MAX_WHOLE_CHARS } from '../../main/core/store/documents.js';
import { fixture } from '../support/fixtures.js';

let dir: string;
let library: Library;
const ids: Record<string, number> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lectern-ask-large-'));
  library = Library.open(join(dir, 'library.sqlite'));
  ids.novel = (await library.add(fixture('novels/pride_and_prejudice.txt'))).row.id;
  ids.law = (await library.add(fixture('zh/labor-contract-law-zh.md'))).row.id;
  ids.license = (await library.add(fixture('licenses/MPL-2.0.txt'))).row.id;
  const grow = library.db.prepare('UPDATE documents SET chars = ? WHERE id = ?');
  grow.run(MAX_WHOLE_CHARS + 1, ids.novel);
  grow.run(MAX_WHOLE_CHARS + 1, ids.law);
}, 120_000);

afterAll(() => {
  library?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ask on a document too long to rank its sentences', () => {
  it('answers from search, each citation the document\'s own text at its offsets, and says so', async () => {
    const answer = await library.ask(ids.novel, 'Who danced with Mr. Darcy at the Netherfield ball?', { top: 3 });
    expect(answer.basis).toBe('search');
    expect(answer.partial).toBe(true);
    expect(answer.found).toBe(true);
    expect(answer.citations.length).toBeGreaterThan(0);
    expect(answer.answer).toBe(answer.citations[0].quote);
    for (const c of answer.citations) {
      expect(readTextRange(library.db, ids.novel, c.start, c.end)).toBe(c.quote);
      expect(c.quote.toLowerCase()).toMatch(/darcy|netherfield|danc/);
    }
  });

  it('answers a Chinese question on a Chinese document, and refuses one in the other script', async () => {
    const answer = await library.ask(ids.law, '试用期最长多久？');
    expect(answer.basis).toBe('search');
    expect(answer.found).toBe(true);
    expect(answer.citations.some((c) => c.quote.includes('试用期'))).toBe(true);
    await expect(library.ask(ids.law, 'How long is the probation period?')).rejects.toThrow(UsageError);
  });

  it('says not found, with a reason, when no passage holds the question\'s words', async () => {
    const answer = await library.ask(ids.novel, 'What is the xylophone quorum of zeppelins?');
    expect(answer.found).toBe(false);
    expect(answer.reason).toMatch(/no passage/);
    expect(answer.citations).toEqual([]);
  });

  it('across the library, ranks the other documents\' sentences first and keeps the long one\'s passages after them', async () => {
    const answer = await library.askAll('What happens when the license is terminated?', { top: 10 });
    expect(answer.found).toBe(true);
    expect(answer.basis).toBe('search');
    const license = (await library.documents()).find((d) => d.id === ids.license)!.sha256;
    const novel = (await library.documents()).find((d) => d.id === ids.novel)!.sha256;
    const order = answer.citations.map((c) => c.documentId);
    expect(order[0]).toBe(license);
    const firstNovel = order.indexOf(novel);
    if (firstNovel >= 0) expect(order.slice(firstNovel).every((d) => d === novel)).toBe(true);
  });

  it('the summary still refuses it as too large, with what does work', () => {
    expect(() => library.summary(ids.novel)).toThrow(/too large: .*search, info, text and read work at any size/);
  });
});
