// A document's search results depend on that document alone: the same queries on a contract give
// the same passages, in the same order, with the same scores and quotes, whether the library
// holds only the contract or other documents as well (added before it and after it). Before
// 2026-12-05 search scored with FTS5's bm25(), whose term statistics are the whole library's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Document } from '../../main/core/document.js';
import { searchPassages } from '../../main/core/answer/search.js';
import { openDb, type Db } from '../../main/core/store/db.js';
import { insertDocument } from '../../main/core/store/documents.js';
import { makePassages } from '../../main/core/text/passages.js';
import { ingestFixture } from '../support/ingest-fixture.js';

const QUERIES = [
  'When may the customer terminate the agreement?',
  'limitation of liability',
  'How long is the subscription term?',
  'the provider shall notify the customer of a security breach',
  'fees payment invoice',
];

function add(db: Db, doc: Document, sha256: string): number {
  return insertDocument(db, { sha256, bytes: 0, fileName: null, sourcePath: null, doc, passages: makePassages(doc) }).id;
}

describe('search is per document', () => {
  let dir: string;
  let alone: Db;
  let shared: Db;
  let aloneId: number;
  let sharedId: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lectern-search-per-document-'));
    const contract = await ingestFixture('contracts/common-paper-cloud-service-agreement-with-sla.docx');
    alone = openDb(join(dir, 'alone.sqlite'));
    aloneId = add(alone, contract, 'contract');
    shared = openDb(join(dir, 'shared.sqlite'));
    // Other documents before and after it: a novel (so "customer", "terminate" are rare in the
    // library but common in the contract) and another contract (so they are common again).
    add(shared, await ingestFixture('novels/sherlock_holmes.txt'), 'novel');
    sharedId = add(shared, contract, 'contract');
    add(shared, await ingestFixture('contracts/common-paper-professional-services-agreement.docx'), 'other contract');
  });

  afterAll(() => {
    alone.close();
    shared.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the same hits, order and scores with or without other documents in the library', () => {
    for (const q of QUERIES) {
      const a = searchPassages(alone, aloneId, q, 10);
      const b = searchPassages(shared, sharedId, q, 10);
      expect(a.length).toBeGreaterThan(0);
      const view = (hits: typeof a): Array<[number, number, string, number]> => hits.map((h) => [h.ordinal, h.start, h.quote, h.score]);
      expect(view(b), q).toEqual(view(a));
    }
  });
});
