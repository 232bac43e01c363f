// Several Project Gutenberg books joined into one file (issue 18, item 6): until 2026-12-05 the
// text after the first "*** END OF" line was cut away, so only the first book was read. Now only
// what precedes the first START line and follows the last END line goes, and the document says
// how much and where.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Document } from '../../main/core/document.js';
import { ingest } from '../../main/core/ingest/index.js';
import { normalizeText } from '../../main/core/ingest/text.js';
import { Library } from '../../main/core/library.js';
import { fixture } from '../support/fixtures.js';

const pride = readFileSync(fixture('novels/pride_and_prejudice.txt'));
const sherlock = readFileSync(fixture('novels/sherlock_holmes.txt'));
// Byte for byte what `cat pride_and_prejudice.txt sherlock_holmes.txt` writes.
const joined = new Uint8Array(Buffer.concat([pride, sherlock]));

describe('two Gutenberg books in one file', () => {
  let doc: Document;
  let first: Document;
  let second: Document;
  beforeAll(async () => {
    doc = await ingest(joined, { fileName: 'two-books.txt' });
    first = await ingest(new Uint8Array(pride), { fileName: 'pride_and_prejudice.txt' });
    second = await ingest(new Uint8Array(sherlock), { fileName: 'sherlock_holmes.txt' });
  });

  it('keeps every block of both books, in order', () => {
    let from = 0;
    const missing: string[] = [];
    for (const block of [...first.blocks, ...second.blocks]) {
      const at = doc.text.indexOf(block.text, from);
      if (at < 0) missing.push(block.text.slice(0, 80));
      else from = at + block.text.length;
    }
    expect(missing).toEqual([]);
    expect(doc.text).toContain('had been the means of uniting them.');
    expect(doc.text).toContain('she is now the head of a private school at Walsall');
  });

  it('takes the title and author from the first book', () => {
    expect(doc.title).toBe('Pride and Prejudice');
    expect(doc.author).toBe('Jane Austen');
  });

  it('removes only the first header and the last licence, and says how much and where', () => {
    const text = normalizeText(new TextDecoder().decode(joined));
    const lines = text.split('\n');
    const startLine = lines.findIndex((l) => l.startsWith('*** START OF')) + 1;
    const endLine = lines.findLastIndex((l) => l.startsWith('*** END OF')) + 1;
    const before = lines.slice(0, startLine).join('\n').length;
    const after = text.length - lines.slice(0, endLine - 1).join('\n').length - 1;
    expect(doc.notes).toEqual([
      expect.objectContaining({ code: 'boilerplate-removed', where: 'start', chars: before, lines: [1, startLine] }),
      expect.objectContaining({ code: 'boilerplate-removed', where: 'end', chars: after, lines: [endLine, text.slice(0, -1).split('\n').length] }),
    ]);
    for (const note of doc.notes) expect(note.message).toMatch(/^removed [\d,]+ characters/);
    // The second book's header and the first book's licence sit between the books: kept.
    expect(doc.text).toContain('*** END OF THE PROJECT GUTENBERG EBOOK PRIDE AND PREJUDICE ***');
    expect(doc.text).toContain('*** START OF THE PROJECT GUTENBERG EBOOK THE ADVENTURES OF SHERLOCK HOLMES ***');
    expect(doc.text).not.toContain('*** END OF THE PROJECT GUTENBERG EBOOK THE ADVENTURES OF SHERLOCK HOLMES ***');
  });

  it('one book alone still loses its header and licence, and says so', () => {
    expect(first.text).not.toContain('*** START OF');
    expect(first.text).not.toContain('*** END OF');
    expect(first.notes.map((n) => n.code === 'boilerplate-removed' && n.where)).toEqual(['start', 'end']);
  });
});

describe('the notes are stored with the document', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lectern-gutenberg-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('survives closing and reopening the library', async () => {
    const file = join(dir, 'two-books.txt');
    writeFileSync(file, joined);
    const dbPath = join(dir, 'library.sqlite');
    let lib = Library.open(dbPath);
    const { row } = await lib.add(file);
    const notes = lib.document(row.id).notes;
    lib.close();
    expect(notes).toHaveLength(2);
    lib = Library.open(dbPath);
    try {
      expect(lib.documents()[0].notes).toEqual(notes);
      expect(lib.document(row.id).notes).toEqual(notes);
    } finally {
      lib.close();
    }
  });
});
