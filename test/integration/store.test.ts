import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DocumentBuilder, type Document } from '../../main/core/document.js';
import { openDb, READING_PAGE_CACHE_KIB, type Db } from '../../main/core/store/db.js';
import {
  DocumentNotFound,
  deleteDocument,
  findDocumentBySha,
  getDocument,
  insertDocument,
  listDocuments,
  loadDocument,
  loadPassages,
} from '../../main/core/store/documents.js';
import { migrations } from '../../main/core/store/schema.js';
import { searchPassages } from '../../main/core/answer/search.js';
import { makePassages } from '../../main/core/text/passages.js';
import { ingestFixture } from '../support/ingest-fixture.js';

function pagedDocument(): Document {
  const builder = new DocumentBuilder();
  builder.add({ kind: 'heading', level: 1, page: 1, text: 'Termination' });
  builder.add({ kind: 'paragraph', page: 1, text: 'Either party may terminate this Agreement on notice.' });
  builder.add({ kind: 'list', page: 2, text: '(a) a material breach;\n(b) insolvency.' });
  builder.add({ kind: 'table', page: 2, text: 'Fee\tAmount\nSetup\t$1,000.50' });
  return builder.build({ kind: 'pdf', title: 'Short agreement', author: null, pages: 2 });
}

function count(db: Db, table: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

function add(db: Db, doc: Document, sha256: string) {
  return insertDocument(db, { sha256, bytes: doc.text.length, fileName: `${sha256}.txt`, sourcePath: null, doc, passages: makePassages(doc) });
}

// Pride and Prejudice as the text ingester reads it (its Gutenberg header gives title and author).
const novel = await ingestFixture('novels/pride_and_prejudice.txt');

describe('the document store', () => {
  let dir: string;
  let path: string;
  let db: Db;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lectern-store-'));
    path = join(dir, 'library.sqlite');
    db = openDb(path);
  });

  afterEach(() => {
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies the migrations and records them in user_version', () => {
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    const names = (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')").all() as Array<{ name: string }>).map(
      (r) => r.name,
    );
    expect(names).toEqual(expect.arrayContaining(['documents', 'blocks', 'passages', 'passages_fts', 'passages_fts_delete']));
  });

  it('gives a reading’s connection the smaller page cache, and others better-sqlite3’s', () => {
    expect(db.pragma('cache_size', { simple: true })).toBe(-16_000);
    const reading = openDb(path, { pageCacheKiB: READING_PAGE_CACHE_KIB });
    try {
      expect(reading.pragma('cache_size', { simple: true })).toBe(-READING_PAGE_CACHE_KIB);
    } finally {
      reading.close();
    }
  });

  it('reopens an existing file with its documents intact', () => {
    const doc = pagedDocument();
    const row = add(db, doc, 'a'.repeat(64));
    db.close();
    db = openDb(path);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(listDocuments(db)).toEqual([row]);
    expect(loadDocument(db, row.id)).toEqual(doc);
    expect(searchPassages(db, row.id, 'insolvency').length).toBe(1);
  });

  it('stores a long document and loads it back exactly', () => {
    const doc = novel;
    const passages = makePassages(doc);
    const row = add(db, doc, 'b'.repeat(64));
    expect(row).toMatchObject({
      kind: 'txt',
      title: 'Pride and Prejudice',
      author: 'Jane Austen',
      pages: null,
      chars: doc.text.length,
      bytes: doc.text.length,
      fileName: `${'b'.repeat(64)}.txt`,
      sourcePath: null,
    });
    expect(new Date(row.addedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(getDocument(db, row.id)).toEqual(row);
    expect(findDocumentBySha(db, 'b'.repeat(64))).toEqual(row);
    expect(loadDocument(db, row.id)).toEqual(doc);
    expect(loadPassages(db, row.id)).toEqual(passages);
  });

  it('returns the existing row when the same content is added twice', () => {
    const first = add(db, pagedDocument(), 'c'.repeat(64));
    const again = add(db, novel, 'c'.repeat(64));
    expect(again).toEqual(first);
    expect(count(db, 'documents')).toBe(1);
    expect(loadDocument(db, first.id).title).toBe('Short agreement');
  });

  it('leaves nothing behind when an insert fails half way', () => {
    const doc = pagedDocument();
    const passages = makePassages(doc);
    // Two passages with the same ordinal break UNIQUE(document_id, ordinal) after the document,
    // its blocks and a first passage with its full-text row have been written.
    const broken = [...passages, { ...passages[0] }];
    expect(() =>
      insertDocument(db, { sha256: 'd'.repeat(64), bytes: 1, fileName: null, sourcePath: null, doc, passages: broken }),
    ).toThrow(/UNIQUE/);
    expect(count(db, 'documents')).toBe(0);
    expect(count(db, 'blocks')).toBe(0);
    expect(count(db, 'passages')).toBe(0);
    expect(count(db, 'passages_fts')).toBe(0);
    expect(findDocumentBySha(db, 'd'.repeat(64))).toBeNull();
    // The same document then goes in cleanly.
    const row = add(db, doc, 'd'.repeat(64));
    expect(searchPassages(db, row.id, 'terminate')).toHaveLength(passages.length);
  });

  it('deletes a document with its blocks, passages and full-text rows', () => {
    const kept = add(db, pagedDocument(), 'e'.repeat(64));
    const gone = add(db, novel, 'f'.repeat(64));
    const ftsBefore = count(db, 'passages_fts');
    expect(searchPassages(db, gone.id, 'Netherfield').length).toBeGreaterThan(0);
    deleteDocument(db, gone.id);
    expect(listDocuments(db)).toEqual([kept]);
    expect(db.prepare('SELECT count(*) AS n FROM blocks WHERE document_id = ?').get(gone.id)).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM passages WHERE document_id = ?').get(gone.id)).toEqual({ n: 0 });
    expect(count(db, 'passages_fts')).toBe(ftsBefore - makePassages(novel).length);
    expect(db.prepare("SELECT count(*) AS n FROM passages_fts WHERE passages_fts MATCH 'netherfield'").get()).toEqual({ n: 0 });
    expect(searchPassages(db, gone.id, 'Netherfield')).toEqual([]);
    expect(searchPassages(db, kept.id, 'insolvency')).toHaveLength(1);
    expect(() => loadDocument(db, gone.id)).toThrow(DocumentNotFound);
    expect(loadPassages(db, gone.id)).toEqual([]);
  });
});
