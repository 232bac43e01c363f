import { readFileSync } from 'node:fs';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Document } from '../../main/core/document.js';
import { detectFormat } from '../../main/core/ingest/detect.js';
import { ingest } from '../../main/core/ingest/index.js';
import { fixture } from '../support/fixtures.js';
import { expectConsistentOffsets, rejectionOf } from '../support/ingest-checks.js';
import { makeEpub, sherlockChapters, type EpubChapter } from '../support/make-epub.js';

const sherlock = readFileSync(fixture('novels/sherlock_holmes.txt'), 'utf8');

function book(chapters: EpubChapter[]) {
  return { title: 'The Adventures of Sherlock Holmes', author: 'Arthur Conan Doyle', chapters };
}

describe('EPUB 3 built from The Adventures of Sherlock Holmes', () => {
  const chapters = sherlockChapters(sherlock, 3);
  // The first chapter loses its own heading: its title must then come from the nav document.
  const withoutFirstHeading = chapters.map((c, i) => (i === 0 ? { ...c, blocks: c.blocks.slice(1) } : c));
  // A table and a list, as e-books carry them.
  withoutFirstHeading[2] = {
    ...withoutFirstHeading[2],
    blocks: [...withoutFirstHeading[2].blocks, { tag: 'tr', text: 'Client\tMiss Mary Sutherland' }, { tag: 'li', text: 'A typewritten letter' }],
  };
  let doc: Document;
  const progress: Array<[number, number]> = [];

  beforeAll(async () => {
    const bytes = await makeEpub({ ...book(withoutFirstHeading), shuffleManifest: true });
    expect(detectFormat(bytes, 'holmes.pdf')).toBe('epub');
    doc = await ingest(bytes, { fileName: 'holmes.epub', onProgress: (done, total) => progress.push([done, total]) });
  });

  it('reads title and author from the package document', () => {
    expect(doc.kind).toBe('epub');
    expect(doc.title).toBe('The Adventures of Sherlock Holmes');
    expect(doc.author).toBe('Arthur Conan Doyle');
    expect(doc.pages).toBeNull();
  });

  it('follows the spine, not the manifest, and takes a missing chapter title from the nav', () => {
    const h1 = doc.blocks.filter((b) => b.kind === 'heading' && b.level === 1).map((b) => b.text);
    expect(h1).toEqual(['A Scandal In Bohemia', 'II. THE RED-HEADED LEAGUE', 'III. A CASE OF IDENTITY']);
    expect(doc.blocks.filter((b) => b.kind === 'heading' && b.level === 2).map((b) => b.text).slice(0, 3)).toEqual(['I.', 'II.', 'III.']);
    expect(doc.text).not.toContain('Contents');
    expect(progress.at(-1)).toEqual([3, 3]);
  });

  it('carries the paragraphs whole, plus tables and lists', () => {
    expect(doc.blocks[2].text).toMatch(/^To Sherlock Holmes she is always _the_ woman\. I have seldom heard him mention her/);
    expect(doc.blocks.find((b) => b.kind === 'table')?.text).toBe('Client | Miss Mary Sutherland');
    expect(doc.blocks.find((b) => b.kind === 'list')?.text).toBe('A typewritten letter');
    expectConsistentOffsets(doc);
  });
});

describe('EPUB variants', () => {
  const chapters = sherlockChapters(sherlock, 2).map((c) => ({ ...c, blocks: c.blocks.slice(1, 4) }));

  it('takes chapter titles from an EPUB 2 NCX when there is no nav document', async () => {
    const doc = await ingest(await makeEpub({ ...book(chapters), ncxOnly: true }));
    expect(doc.blocks.filter((b) => b.kind === 'heading' && b.level === 1).map((b) => b.text)).toEqual([
      'A Scandal In Bohemia',
      'The Red-Headed League',
    ]);
  });

  it('rejects DRM-encrypted content but accepts font obfuscation', async () => {
    const drm = await rejectionOf(ingest(await makeEpub({ ...book(chapters), drm: true })));
    expect(drm.message).toBe('encrypted: password required');
    const fonts = await ingest(await makeEpub({ ...book(chapters), obfuscatedFont: true }));
    expect(fonts.blocks.length).toBeGreaterThan(4);
  });

  it('rejects an EPUB without a package document as corrupt', async () => {
    const zip = await JSZip.loadAsync(await makeEpub(book(chapters)));
    zip.remove('OEBPS/content.opf');
    const bytes = await zip.generateAsync({ type: 'uint8array' });
    expect((await rejectionOf(ingest(bytes))).message).toBe('corrupt: EPUB without a package document');
  });
});
