// Long documents for the engine's tests and benchmarks: Pride and Prejudice (public domain,
// in test/fixtures) cut or repeated to a size, built into a Document with its passages and
// stored the way the library stores an added file.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DocumentBuilder, type Document } from '../../main/core/document.js';
import type { Db } from '../../main/core/store/db.js';
import { insertDocument } from '../../main/core/store/documents.js';
import { makePassages } from '../../main/core/text/passages.js';
import { fixture } from './fixtures.js';

let novel: string | null = null;

function novelText(): string {
  novel ??= readFileSync(fixture('novels/pride_and_prejudice.txt'), 'utf8').replace(/^\ufeff/, '').replace(/\r\n/g, '\n');
  return novel;
}

/** Whole paragraphs of the novel (repeated as needed) up to about `bytes` UTF-8 bytes. */
export function novelDocument(bytes: number, title = 'Pride and Prejudice'): Document {
  const paragraphs = novelText()
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p.length > 0);
  const builder = new DocumentBuilder();
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const p = paragraphs[i % paragraphs.length];
    const heading = /^chapter [ivxlc\d]+/i.test(p);
    const text = Buffer.byteLength(p) + size > bytes && size > 0 ? p.slice(0, Math.max(1, bytes - size)) : p;
    builder.add({ kind: heading ? 'heading' : 'paragraph', level: heading ? 1 : 0, text });
    size += Buffer.byteLength(text) + 2;
  }
  return builder.build({ kind: 'txt', title });
}

/** Stores a Document with its passages; returns its id. */
export function storeDocument(db: Db, doc: Document, fileName = 'novel.txt'): number {
  const sha256 = createHash('sha256').update(doc.text).digest('hex');
  const row = insertDocument(db, {
    sha256,
    bytes: Buffer.byteLength(doc.text),
    fileName,
    sourcePath: `/virtual/${fileName}`,
    doc,
    passages: makePassages(doc),
  });
  return row.id;
}
