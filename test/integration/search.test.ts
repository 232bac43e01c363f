import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentBuilder, type Document } from '../../main/core/document.js';
import { openDb, type Db } from '../../main/core/store/db.js';
import { insertDocument, loadDocument } from '../../main/core/store/documents.js';
import { searchPassages, type SearchHit } from '../../main/core/answer/search.js';
import { makePassages } from '../../main/core/text/passages.js';
import { ingestFixture } from '../support/ingest-fixture.js';

/** Clauses that use one word in several forms, to see what the porter stemmer conflates. */
function wordForms(): Document {
  const b = new DocumentBuilder();
  b.add({ kind: 'heading', text: 'Termination' });
  b.add({ kind: 'paragraph', text: 'Either party may terminate the services on thirty days notice.' });
  b.add({ kind: 'heading', text: 'Effect' });
  b.add({ kind: 'paragraph', text: 'Upon termination all licences granted here end at once.' });
  b.add({ kind: 'heading', text: 'Survival' });
  b.add({ kind: 'paragraph', text: 'Payment duties survive although the contract was terminated early.' });
  b.add({ kind: 'heading', text: 'Conduct' });
  b.add({ kind: 'paragraph', text: 'The contractor ran the project; running costs are the buyer’s.' });
  return b.build({ kind: 'txt', title: 'forms' });
}

describe('searchPassages', () => {
  let dir: string;
  let db: Db;
  let novel: number;
  let chinese: number;
  let forms: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lectern-search-'));
    db = openDb(join(dir, 'library.sqlite'));
    const add = (doc: Document, sha256: string): number =>
      insertDocument(db, { sha256, bytes: 0, fileName: null, sourcePath: null, doc, passages: makePassages(doc) }).id;
    novel = add(await ingestFixture('novels/pride_and_prejudice.txt'), 'novel');
    chinese = add(await ingestFixture('zh/hongloumeng-ch001-010.md'), 'hongloumeng');
    forms = add(wordForms(), 'forms');
  });

  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function expectConsistent(documentId: number, hits: SearchHit[]): void {
    const text = loadDocument(db, documentId).text;
    for (const h of hits) {
      expect(h.quote).toBe(text.slice(h.quoteStart, h.quoteEnd));
      expect(h.quoteStart).toBeGreaterThanOrEqual(h.start);
      expect(h.quoteEnd).toBeLessThanOrEqual(h.end);
      expect(h.quote.length).toBeLessThan(h.end - h.start);
    }
    for (let i = 1; i < hits.length; i++) expect(hits[i].score).toBeLessThanOrEqual(hits[i - 1].score);
  }

  it('finds a passage from a paraphrase that shares some of its words', () => {
    const hits = searchPassages(db, novel, 'a single man with a good fortune must want a wife');
    expect(hits).toHaveLength(5);
    expect(hits[0].quote).toContain('It is a truth universally acknowledged');
    expect(hits[0].section).toBe('Chapter I.'); // found inside the illustration caption it stands in
    expectConsistent(novel, hits);

    const slight = searchPassages(db, novel, 'Darcy thought Elizabeth only tolerable, not handsome enough to tempt him');
    expect(slight.some((h) => h.quote.includes('She is tolerable'))).toBe(true);
    expectConsistent(novel, slight);
  });

  it('ranks the passage holding the exact phrase first, even when its words are common', () => {
    for (const phrase of ['in the course of the evening', 'it was not in her nature']) {
      const hits = searchPassages(db, novel, phrase);
      expect(hits[0].quote.toLowerCase()).toContain(phrase);
    }
  });

  it('quotes the best sentence or two, not the whole passage', () => {
    const [hit] = searchPassages(db, novel, 'Mr. Collins was not a sensible man', 1);
    expect(hit.quote.startsWith('Mr. Collins was not a sensible man')).toBe(true);
    expect(hit.quote.length).toBeLessThanOrEqual(400);
    expect(hit.section).toBe('CHAPTER XV.');
  });

  it('matches English word forms the way the porter stemmer conflates them', () => {
    const quotes = (q: string): string[] => searchPassages(db, forms, q).map((h) => h.quote);
    // porter: terminate, terminated, termination → "termin". Headings are not indexed, only the
    // passages under them.
    for (const q of ['terminated', 'termination', 'terminate', 'terminating']) {
      expect(quotes(q).sort()).toEqual([
        'Either party may terminate the services on thirty days notice.',
        'Payment duties survive although the contract was terminated early.',
        'Upon termination all licences granted here end at once.',
      ]);
    }
    // running → "run", but the irregular "ran" stays itself.
    expect(quotes('run')).toEqual(['The contractor ran the project; running costs are the buyer’s.']);
    expect(quotes('runs')).toHaveLength(1);
    expect(searchPassages(db, forms, 'runs')[0].passageId).toBe(searchPassages(db, forms, 'ran')[0].passageId);
    expect(quotes('walked')).toEqual([]);
  });

  it('finds Chinese by two characters and by longer phrases', () => {
    const two = searchPassages(db, chinese, '通灵');
    expect(two.length).toBeGreaterThanOrEqual(3);
    for (const h of two) expect(h.quote).toContain('通灵');

    const four = searchPassages(db, chinese, '太虚幻境');
    expect(four[0].quote).toContain('太虚幻境');

    const question = searchPassages(db, chinese, '刘姥姥第一次进荣国府');
    expect(question[0].section).toBe('第六回 贾宝玉初试云雨情 刘姥姥一进荣国府');

    const long = searchPassages(db, chinese, '葫芦僧乱判葫芦案');
    expect(long[0].section).toBe('第四回 薄命女偏逢薄命郎 葫芦僧乱判葫芦案');
    for (const hits of [two, four, question, long]) expectConsistent(chinese, hits);
  });

  it('finds a single Chinese character as the start of a bigram', () => {
    const hits = searchPassages(db, chinese, '葫');
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) expect(db.prepare('SELECT text FROM passages WHERE id = ?').pluck().get(h.passageId)).toContain('葫');
  });

  it('searches only the given document', () => {
    expect(searchPassages(db, novel, '通灵')).toEqual([]);
    expect(searchPassages(db, chinese, 'Netherfield')).toEqual([]);
    expect(searchPassages(db, 9999, 'Netherfield')).toEqual([]);
  });

  it('treats query syntax as plain words', () => {
    const queries = [
      '"unbalanced quote',
      'Darcy*',
      '-Elizabeth',
      'Darcy AND Elizabeth OR NOT Bingley',
      'NEAR(Darcy Elizabeth, 5)',
      '(Darcy',
      'body:Netherfield',
      '^Netherfield + {Darcy}',
      "it's Mr. Darcy's",
      '*',
      'AND',
      '',
      '   ',
    ];
    for (const q of queries) expect(() => searchPassages(db, novel, q)).not.toThrow();
    expect(searchPassages(db, novel, 'NEAR(Darcy Elizabeth, 5)').length).toBe(5);
    expect(searchPassages(db, novel, 'body:Netherfield').some((h) => h.quote.includes('Netherfield'))).toBe(true);
    expect(searchPassages(db, novel, '')).toEqual([]);
    expect(searchPassages(db, novel, '*')).toEqual([]);
  });

  it('returns at most top hits', () => {
    expect(searchPassages(db, novel, 'Elizabeth', 3)).toHaveLength(3);
    expect(searchPassages(db, novel, 'Elizabeth', 0)).toEqual([]);
  });
});
