// A document's text is stored in pieces (migration 9, store/document-text.ts, issue 18): whatever
// the piece size, the text reads back identical, whole and by any range; a library made before
// the pieces existed has its texts moved into them on opening and reads back the same. What still
// needs a document whole refuses one past MAX_WHOLE_CHARS instead of exhausting memory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb } from '../../main/core/store/db.js';
import { readTextRange, readWholeText, StoredText, TextWriter, textPieces } from '../../main/core/store/document-text.js';
import { getDocument, insertDocument, loadDocument, loadDocumentText, loadLayout, locatorOf, MAX_WHOLE_CHARS } from '../../main/core/store/documents.js';
import { documentSummary } from '../../main/core/summary/document-summary.js';
import { sentenceIndex } from '../../main/core/answer/sentence-index.js';
import { InputRejected } from '../../main/core/errors.js';
import { Locator } from '../../main/core/text/locate.js';
import { makePassages } from '../../main/core/text/passages.js';
import { migrations } from '../../main/core/store/schema.js';
import { seededRandom } from '../support/seeded-random.js';
import { ingestFixture } from '../support/ingest-fixture.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lectern-text-pieces-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** English, Chinese and astral characters (surrogate pairs) mixed, so pieces meet pairs. */
function mixedText(chars: number, seed: number): string {
  const random = seededRandom(seed);
  const alphabet = ['a', 'b', ' ', '\n', '红', '楼', '梦', '😀', '𝄞', 'é'];
  const parts: string[] = [];
  let length = 0;
  while (length < chars) {
    const c = alphabet[Math.floor(random() * alphabet.length)];
    parts.push(c);
    length += c.length;
  }
  return parts.join('');
}

function addBare(db: Database.Database, id: number): void {
  db.prepare(`INSERT INTO documents (id, sha256, kind, title, chars, bytes, added_at) VALUES (?, ?, 'txt', 't', 0, 1, '2026-12-05')`).run(id, `sha-${id}`);
}

describe('stored text pieces', () => {
  it.each([1, 2, 3, 7, 1000])('pieces of %i characters read back identical, whole and by ranges', (chunk) => {
    const db = openDb(join(dir, 'library.sqlite'));
    const text = mixedText(chunk === 1000 ? 20_000 : 3_000, chunk);
    addBare(db, 1);
    const writer = new TextWriter(db, 1, chunk);
    // Pushed in uneven parts, as an ingester produces them.
    for (let from = 0, step = 1; from < text.length; from += step, step = (step * 7) % 13 + 1) writer.push(text.slice(from, from + step));
    expect(writer.finish()).toBe(text.length);
    expect(readWholeText(db, 1)).toBe(text);
    for (const p of textPieces(db, 1)) {
      // No piece ends inside a surrogate pair: SQLite keeps UTF-8, which has no lone halves.
      expect(/[\ud800-\udbff]$/.test(p.text)).toBe(false);
    }
    const random = seededRandom(chunk + 99);
    const stored = new StoredText(db, 1, text.length);
    for (let k = 0; k < 300; k++) {
      const a = Math.floor(random() * (text.length + 1));
      const b = Math.min(text.length, a + Math.floor(random() * 50));
      expect(readTextRange(db, 1, a, b)).toBe(text.slice(a, b));
      expect(stored.slice(a, b)).toBe(text.slice(a, b));
    }
    expect(stored.utf8Bytes()).toBe(Buffer.byteLength(text, 'utf8'));
    db.close();
  });

  it('a summary, an answer or scoring of a document past MAX_WHOLE_CHARS is refused as too large, not loaded', () => {
    const db = openDb(join(dir, 'library.sqlite'));
    // The row's length is what is checked, before any text is read.
    db.prepare(`INSERT INTO documents (id, sha256, kind, title, chars, bytes, added_at) VALUES (1, 'big', 'txt', 'big', ?, 1, '2026-12-05')`).run(MAX_WHOLE_CHARS + 1);
    for (const load of [() => documentSummary(db, 1), () => sentenceIndex(db, 1), () => loadDocumentText(db, 1, 'scoring')]) {
      expect(load).toThrow(InputRejected);
      expect(load).toThrow(/^too large: .* needs the whole text in memory, and this document has 67,108,865 characters/);
    }
    db.close();
  });

  it.each(['novels/pride_and_prejudice.txt', 'zh/hongloumeng-ch001-010.md', 'licenses/MPL-2.0.txt'])(
    "%s: the store's locator (headings and a binary search, not every block) says what the Locator over the whole layout says",
    async (path) => {
      const db = openDb(join(dir, 'library.sqlite'));
      const doc = await ingestFixture(path);
      const row = insertDocument(db, { sha256: 'x', bytes: 1, fileName: null, sourcePath: null, doc, passages: makePassages(doc) });
      const whole = new Locator(loadLayout(db, row.id));
      const stored = locatorOf(db, row.id);
      const random = seededRandom(7);
      const offsets = [0, doc.text.length, ...doc.blocks.flatMap((b) => [b.start - 1, b.start, b.end]), ...Array.from({ length: 500 }, () => Math.floor(random() * doc.text.length))];
      for (const offset of offsets) expect(stored.locate(offset)).toEqual(whole.locate(offset));
      db.close();
    },
  );

  it('a library of the schema before pieces has its texts moved into them, reading back identical', async () => {
    const path = join(dir, 'old.sqlite');
    const novel = await ingestFixture('novels/pride_and_prejudice.txt');
    const long = mixedText(2 ** 20 + 5_000, 5);
    // The old schema, as a library made before this change holds it.
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    for (const m of migrations.slice(0, 8)) old.exec(m.sql);
    old.pragma('user_version = 8');
    const insert = old.prepare(
      `INSERT INTO documents (id, sha256, kind, title, chars, bytes, text, added_at) VALUES (?, ?, 'txt', ?, ?, 1, ?, '2026-12-05')`,
    );
    insert.run(1, 'novel', novel.title, novel.text.length, novel.text);
    insert.run(2, 'long', 'long', long.length, long);
    const block = old.prepare('INSERT INTO blocks (document_id, ordinal, kind, level, page, "start", "end") VALUES (1, ?, ?, ?, NULL, ?, ?)');
    novel.blocks.forEach((b, i) => block.run(i, b.kind, b.level, b.start, b.end));
    old.close();

    const db = openDb(path);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    const columns = (db.prepare('PRAGMA table_info(documents)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).not.toContain('text');
    expect(readWholeText(db, 2)).toBe(long);
    expect(readTextRange(db, 2, 2 ** 20 - 10, 2 ** 20 + 10)).toBe(long.slice(2 ** 20 - 10, 2 ** 20 + 10));
    expect((db.prepare('SELECT count(*) FROM document_text WHERE document_id = 2').pluck().get() as number)).toBe(2);
    const doc = loadDocument(db, 1);
    expect(doc.text).toBe(novel.text);
    expect(doc.blocks.map((b) => b.text)).toEqual(novel.blocks.map((b) => b.text));
    expect(loadLayout(db, 1).blocks.filter((b) => b.heading !== null).map((b) => b.heading)).toEqual(
      novel.blocks.filter((b) => b.kind === 'heading').map((b) => b.text),
    );
    expect(getDocument(db, 1)?.chars).toBe(novel.text.length);
    db.close();
  });
});
