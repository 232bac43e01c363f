import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Document } from '../../main/core/document.js';
import { InputRejected } from '../../main/core/errors.js';
import { ingest } from '../../main/core/ingest/index.js';
import { fixture, repoRoot } from '../support/fixtures.js';
import { expectConsistentOffsets, rejectionOf } from '../support/ingest-checks.js';

const read = (path: string) => new Uint8Array(readFileSync(path));
const mammothDir = join(repoRoot, 'node_modules/mammoth/test/test-data');

describe('DOCX: Common Paper Cloud Service Agreement', () => {
  const name = 'common-paper-cloud-service-agreement-with-sla.docx';
  let doc: Document;
  let headings: Array<[number, string]>;
  beforeAll(async () => {
    doc = await ingest(read(fixture(`contracts/${name}`)), { fileName: name });
    headings = doc.blocks.filter((b) => b.kind === 'heading').map((b) => [b.level, b.text]);
  });

  it('has title, author, no pages and consistent offsets', () => {
    expect(doc.kind).toBe('docx');
    expect(doc.title).toBe('Cloud Service Agreement');
    expect(doc.author).toBe('Tiffany Bui LeTourneau');
    expect(doc.pages).toBeNull();
    expect(doc.blocks.every((b) => b.page === null)).toBe(true);
    expectConsistentOffsets(doc);
  });

  it('finds the real section headings with their levels, in order', () => {
    const expected: Array<[number, string]> = [
      [1, 'Service'],
      [2, 'Access and Use'],
      [2, 'Support'],
      [1, 'Restrictions & Obligations'],
      [2, 'Restrictions on Customer'],
      [2, 'Suspension'],
      [1, 'Payment & Taxes'],
      [2, 'Fees'],
      [2, 'Payment Dispute'],
      [1, 'Limitation of Liability'],
      [1, 'General Terms'],
      [2, 'Modifications, Severability, and Waiver'],
      [1, 'Definitions'],
      [1, 'Service Level Agreement'],
      [2, 'Calculating Uptime'],
    ];
    let from = 0;
    for (const heading of expected) {
      const at = headings.findIndex((h, i) => i >= from && h[0] === heading[0] && h[1] === heading[1]);
      expect(at, `${heading[1]} after position ${from}`).toBeGreaterThanOrEqual(from);
      from = at + 1;
    }
  });

  it('splits a run-in clause title from its text', () => {
    const fees = doc.blocks.findIndex((b) => b.kind === 'heading' && b.text === 'Fees');
    expect(doc.blocks[fees + 1]).toMatchObject({ kind: 'paragraph', level: 0 });
    expect(doc.blocks[fees + 1].text).toMatch(
      /^Unless the Order Form specifies a different currency, all Fees are in U\.S\. Dollars and are exclusive of taxes\./,
    );
  });

  it('keeps definitions styled as headings as paragraphs', () => {
    const affiliate = doc.blocks.find((b) => b.text.startsWith('“Affiliate” means'));
    expect(affiliate?.kind).toBe('paragraph');
  });

  it('renders table rows with cells joined by " | "', () => {
    const rows = doc.blocks.filter((b) => b.kind === 'table').map((b) => b.text);
    expect(rows).toContain('Cloud Service | The Cloud Service available under this Order Form is {cloud_service}.');
    expect(rows).toContain('Governing Law | The laws of {governing_law}');
  });
});

describe('DOCX: list items and other contracts', () => {
  it('gives one list block per item (Common Paper DPA)', async () => {
    const doc = await ingest(read(fixture('contracts/common-paper-data-processing-agreement.docx')));
    const items = doc.blocks.filter((b) => b.kind === 'list').map((b) => b.text);
    expect(items.length).toBe(72);
    expect(items).toContain('In Clause 11, the optional language does not apply;');
    expect(items.some((t) => t.startsWith('Provider as Processor. In situations where Customer is a Controller'))).toBe(true);
    expect(doc.title).toBe('Data Processing Agreement');
  });

  it('takes the title from docProps when set (Bonterms NDA cover page: all tables)', async () => {
    const doc = await ingest(read(fixture('contracts/bonterms-mutual-nda.docx')));
    expect(doc.title).toBe('Example Cover Page for Bonterms Mutual NDA');
    expect(doc.author).toBe('Bonterms');
    expect(doc.blocks.every((b) => b.kind === 'table')).toBe(true);
  });
});

describe('DOCX: mammoth test documents and malformed input', () => {
  const files = readdirSync(mammothDir).filter((f) => /\.(docx|zip)$/.test(f));

  it('ingests every mammoth test file or rejects it with a one-line reason', async () => {
    expect(files.length).toBeGreaterThan(15);
    for (const file of files) {
      const started = Date.now();
      const outcome = await ingest(read(join(mammothDir, file)), { fileName: file }).then(
        (doc) => doc,
        (e: unknown) => e,
      );
      expect(Date.now() - started, file).toBeLessThan(60_000);
      if (outcome instanceof Error) {
        expect(outcome, `${file}: ${outcome.message}`).toBeInstanceOf(InputRejected);
        expect(outcome.message).not.toContain('\n');
      } else {
        expectConsistentOffsets(outcome as Document);
      }
    }
  });

  it('reads specific mammoth documents correctly', async () => {
    const load = (f: string) => ingest(read(join(mammothDir, f)), { fileName: f });
    const tables = await load('tables.docx');
    expect(tables.blocks.map((b) => [b.kind, b.text])).toEqual([
      ['paragraph', 'Above'],
      ['table', 'Top left | Top right'],
      ['table', 'Bottom left | Bottom right'],
      ['paragraph', 'Below'],
    ]);
    expect(tables.title).toBe('tables');
    expect((await load('simple-list.docx')).blocks.map((b) => [b.kind, b.text])).toEqual([
      ['list', 'Apple'],
      ['list', 'Banana'],
    ]);
    const footnotes = await load('footnotes.docx');
    expect(footnotes.blocks.map((b) => [b.kind, b.text])).toEqual([
      ['paragraph', 'Ouch[1].[2]'],
      ['heading', 'Notes'],
      ['paragraph', 'A tachyon walks into a bar.'],
      ['paragraph', 'Fin.'],
    ]);
    expect((await load('comments.docx')).text).toBe('Ouch.');
    expect((await load('embedded-style-map.docx')).blocks[0]).toMatchObject({ kind: 'heading', level: 1 });
    expect((await rejectionOf(load('empty.docx'))).reason).toBe('empty');
    expect((await rejectionOf(load('tiny-picture.docx'))).reason).toBe('empty');
    expect((await rejectionOf(load('hello.zip'))).message).toBe('unsupported format: ZIP archive');
  });

  it('rejects a truncated DOCX and broken XML as corrupt', async () => {
    const bytes = read(fixture('contracts/common-paper-cloud-service-agreement-with-sla.docx'));
    const truncated = await rejectionOf(ingest(bytes.subarray(0, Math.floor(bytes.length / 2))));
    expect(truncated.reason).toBe('corrupt');
    expect(truncated.message).toBe('corrupt: damaged ZIP archive');

    const zip = await JSZip.loadAsync(bytes);
    zip.file('word/document.xml', '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>');
    const broken = await zip.generateAsync({ type: 'uint8array' });
    expect((await rejectionOf(ingest(broken))).message).toBe('corrupt: malformed XML in the DOCX file');
  });

  it('rejects a password-protected Office document as encrypted', async () => {
    // An OLE2 container holding EncryptionInfo and EncryptedPackage streams, as Word writes it.
    const header = Buffer.alloc(1536);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header, 0);
    Buffer.from('EncryptionInfo\u0000', 'utf16le').copy(header, 1024 + 128);
    Buffer.from('EncryptedPackage\u0000', 'utf16le').copy(header, 1024 + 256);
    const rejected = await rejectionOf(ingest(new Uint8Array(header), { fileName: 'secret.docx' }));
    expect(rejected.reason).toBe('encrypted');
    expect(rejected.message).toBe('encrypted: password required');
  });
});
