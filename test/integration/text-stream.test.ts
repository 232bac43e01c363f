// Plain text is ingested as a stream (ingest/text-stream.ts, issue 18): read a piece at a time, it
// must give exactly the Document and passages that reading it in one piece gives, wherever the
// pieces fall: inside a CRLF pair, a multi-byte UTF-8 or GB18030 character, a UTF-16 code unit,
// a Gutenberg START or END line, a box of asterisks, a chapter line. And the passages cut as the
// blocks come are those makePassages cuts from the whole Document.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Block, Document } from '../../main/core/document.js';
import { bytesSource } from '../../main/core/ingest/text-source.js';
import { streamPlainText } from '../../main/core/ingest/text-stream.js';
import { makePassages, type Passage } from '../../main/core/text/passages.js';
import { fixture } from '../support/fixtures.js';

interface Streamed {
  doc: Document;
  passages: Passage[];
}

/** Tiny pieces are decoded again for each pass, as a large file's are, not kept from the first. */
function stream(bytes: Uint8Array, pieceBytes?: number): Streamed {
  const parts: string[] = [];
  const blocks: Block[] = [];
  const passages: Passage[] = [];
  const r = streamPlainText(
    bytesSource(bytes),
    {
      text: (p) => parts.push(p),
      block: (b, text) => blocks.push({ ...b, text }) - 1,
      passage: (p) => passages.push(p),
      setLevel: (o, level) => {
        blocks[o].level = level;
      },
    },
    pieceBytes === undefined ? {} : { pieceBytes, decodeOnceBytes: 0 },
  );
  return { doc: { kind: 'txt', title: r.title, author: r.author, pages: null, text: parts.join(''), blocks, notes: r.notes }, passages };
}

/** Equal as a boolean first: a failing toEqual would diff megabytes. */
function expectSame(a: Streamed, b: Streamed): void {
  expect(a.doc.text === b.doc.text).toBe(true);
  expect(JSON.stringify(a.doc) === JSON.stringify(b.doc)).toBe(true);
  expect(JSON.stringify(a.passages) === JSON.stringify(b.passages)).toBe(true);
}

const utf8 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));
const novel = readFileSync(fixture('novels/pride_and_prejudice.txt'), 'utf8');
const chinese = readFileSync(fixture('zh/hongloumeng-ch001-010.md'), 'utf8')
  .replace(/^#+\s*/gm, '')
  .replace(/<\/?p>/g, '')
  .replace(/^-{3,}$/gm, '');

/**
 * A short Gutenberg file (CRLF, BOM): header with a wrapped Title, the first START line, part of
 * the novel, two joined books' END and START lines, a box of asterisks, the last END line, licence.
 */
function shortGutenberg(): string {
  const start = novel.indexOf('*** START OF');
  const body = novel.slice(start, start + 12_000);
  const box = '\r\n\r\n' + '*'.repeat(40) + '\r\n*  A boxed notice             *\r\n*    indented line            *\r\n' + '*'.repeat(40) + '\r\n\r\n';
  const middle = '\r\n*** END OF THE PROJECT GUTENBERG EBOOK ONE ***\r\n\r\nTitle: Two\r\n\r\n*** START OF THE PROJECT GUTENBERG EBOOK TWO ***\r\n\r\nCHAPTER I.\r\n\r\nIt was a second book.\r\n';
  const end = novel.slice(novel.indexOf('*** END OF'));
  return `\ufeffThe Project Gutenberg eBook\r\n\r\nTitle: Pride and\r\n       Prejudice\r\n\r\nAuthor: Jane Austen\r\n\r\n${body}${box}${middle}${box}${end.slice(0, 3000)}`;
}

describe('streamed plain text', () => {
  it.each([1, 2, 3, 5, 64])('a Gutenberg file read %i bytes at a time gives the Document and passages read whole gives', (pieceBytes) => {
    const bytes = utf8(shortGutenberg());
    const whole = stream(bytes);
    expect(whole.doc.title).toBe('Pride and Prejudice');
    expect(whole.doc.author).toBe('Jane Austen');
    expect(whole.doc.notes.map((n) => n.code)).toEqual(['boilerplate-removed', 'boilerplate-removed']);
    // The joined books' own END and START lines are text; the box is unframed.
    expect(whole.doc.text).toContain('END OF THE PROJECT GUTENBERG EBOOK ONE');
    expect(whole.doc.text).toContain('A boxed notice');
    expect(whole.doc.text).not.toContain('****');
    expectSame(stream(bytes, pieceBytes), whole);
  });

  it('Chinese in UTF-8 and in GB18030, read a byte or a few at a time, gives the same as read whole', () => {
    const text = chinese.slice(0, 8_000);
    for (const bytes of [utf8(text), new Uint8Array(readFileSync(fixture('zh/encoding-sample.gb18030.txt')))]) {
      const whole = stream(bytes);
      expect(whole.doc.blocks.some((b) => b.kind === 'heading')).toBe(true);
      for (const pieceBytes of [1, 2, 3, 7]) expectSame(stream(bytes, pieceBytes), whole);
    }
  });

  it('UTF-16 with and without a byte-order mark, read an odd number of bytes at a time, gives the same as read whole', () => {
    const text = novel.slice(0, 20_000);
    const le = Buffer.from(text.replace(/^\ufeff/, ''), 'utf16le');
    const be = Buffer.from(le).swap16();
    const cases = [
      new Uint8Array([0xff, 0xfe, ...le]),
      new Uint8Array([0xfe, 0xff, ...be]),
      new Uint8Array(le),
    ];
    const reference = stream(utf8(text));
    for (const bytes of cases) {
      const whole = stream(bytes);
      expect(whole.doc.text === reference.doc.text).toBe(true);
      for (const pieceBytes of [1, 3, 333]) expectSame(stream(bytes, pieceBytes), whole);
    }
  });

  it.each(['novels/pride_and_prejudice.txt', 'novels/moby_dick.txt', 'licenses/MPL-2.0.txt', 'zh/encoding-sample.utf8.txt'])(
    '%s read 4 KiB at a time gives the same as read whole, and its passages are makePassages of the Document',
    (path) => {
      const bytes = new Uint8Array(readFileSync(fixture(path)));
      const whole = stream(bytes);
      expectSame(stream(bytes, 4096), whole);
      expect(JSON.stringify(makePassages(whole.doc)) === JSON.stringify(whole.passages)).toBe(true);
    },
  );

  it('a whole Chinese book of chapter lines (levels known only at the end) gives the same in pieces', () => {
    const bytes = utf8(chinese);
    const whole = stream(bytes);
    expect(new Set(whole.doc.blocks.filter((b) => b.kind === 'heading').map((b) => b.level)).size).toBeGreaterThan(0);
    expectSame(stream(bytes, 1000), whole);
    expect(JSON.stringify(makePassages(whole.doc)) === JSON.stringify(whole.passages)).toBe(true);
  });
});
