import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { InputRejected } from '../../main/core/errors.js';
import { detectFormat, markdownOrText } from '../../main/core/ingest/detect.js';
import { fixture, hasFixture, repoRoot } from '../support/fixtures.js';

const read = (path: string) => new Uint8Array(readFileSync(path));
const docx = () => read(fixture('contracts/common-paper-cloud-service-agreement-with-sla.docx'));
const mammothData = (name: string) => read(join(repoRoot, 'node_modules/mammoth/test/test-data', name));

// A minimal PDF, byte for byte what a writer produces for an empty page.
const tinyPdf = new TextEncoder().encode(
  '%PDF-1.4\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n2 0 obj <</Type/Pages/Kids[3 0 R]/Count 1>> endobj\n' +
    '3 0 obj <</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n',
);

function rejection(run: () => unknown): { reason: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof InputRejected) return { reason: error.reason, message: error.message };
    throw error;
  }
  throw new Error('expected an InputRejected');
}

/**
 * A valid OLE2 compound file (version 3, 512-byte sectors) with the given empty streams: one
 * FAT sector, one directory sector. Enough for any reader to list the stream names.
 */
function compoundFile(streams: string[]): Uint8Array {
  const bytes = Buffer.alloc(512 * 3);
  const FREE = 0xffffffff;
  const END = 0xfffffffe;
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(bytes, 0);
  bytes.writeUInt16LE(0x3e, 24);
  bytes.writeUInt16LE(3, 26);
  bytes.writeUInt16LE(0xfffe, 28);
  bytes.writeUInt16LE(9, 30);
  bytes.writeUInt16LE(6, 32);
  bytes.writeUInt32LE(1, 44); // FAT sectors
  bytes.writeUInt32LE(1, 48); // first directory sector
  bytes.writeUInt32LE(0x1000, 56);
  bytes.writeUInt32LE(END, 60);
  bytes.writeUInt32LE(END, 68);
  for (let i = 0; i < 109; i++) bytes.writeUInt32LE(i === 0 ? 0 : FREE, 76 + 4 * i);
  for (let i = 0; i < 128; i++) bytes.writeUInt32LE(i === 0 ? 0xfffffffd : i === 1 ? END : FREE, 512 + 4 * i);
  const entry = (index: number, name: string, type: number, child: number, right: number) => {
    const at = 1024 + 128 * index;
    const encoded = Buffer.from(`${name}\u0000`, 'utf16le');
    encoded.copy(bytes, at);
    bytes.writeUInt16LE(encoded.length, at + 64);
    bytes[at + 66] = type;
    bytes[at + 67] = 1;
    bytes.writeUInt32LE(FREE, at + 68);
    bytes.writeUInt32LE(right, at + 72);
    bytes.writeUInt32LE(child, at + 76);
    bytes.writeUInt32LE(type === 5 ? END : 0, at + 116);
  };
  entry(0, 'Root Entry', 5, streams.length > 0 ? 1 : FREE, FREE);
  streams.slice(0, 3).forEach((name, i) => entry(i + 1, name, 2, FREE, i + 2 <= Math.min(3, streams.length) ? i + 2 : FREE));
  return new Uint8Array(bytes);
}

async function zipOf(files: Record<string, string>): Promise<Uint8Array> {
  const zip = new JSZip();
  for (const [name, content] of Object.entries(files)) zip.file(name, content);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('detectFormat: by content, never by name', () => {
  it('finds a PDF named .docx, and a PDF header after leading junk', () => {
    expect(detectFormat(tinyPdf, 'report.docx')).toBe('pdf');
    expect(detectFormat(new Uint8Array([...new TextEncoder().encode('junk\r\n'), ...tinyPdf]), 'x.txt')).toBe('pdf');
    if (hasFixture('papers/tracemonkey.pdf')) expect(detectFormat(read(fixture('papers/tracemonkey.pdf')), 'paper.docx')).toBe('pdf');
  });

  it('finds a DOCX named .pdf, and text named .pdf', () => {
    expect(detectFormat(docx(), 'contract.pdf')).toBe('docx');
    expect(detectFormat(new TextEncoder().encode('Just a note.\nSecond line.\n'), 'scan.pdf')).toBe('txt');
  });

  it('rejects an empty file and a whitespace-only file as empty', () => {
    expect(rejection(() => detectFormat(new Uint8Array(0)))).toEqual({ reason: 'empty', message: 'empty' });
    expect(rejection(() => detectFormat(new TextEncoder().encode(' \n\t\r\n  \n'), 'a.txt')).reason).toBe('empty');
    expect(rejection(() => detectFormat(new Uint8Array([0xef, 0xbb, 0xbf, 0x20, 0x0a]))).reason).toBe('empty');
  });

  it('names known binary types', () => {
    expect(rejection(() => detectFormat(mammothData('tiny-picture.png'), 'photo.txt')).message).toBe(
      'unsupported format: image (PNG)',
    );
    expect(rejection(() => detectFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).message).toBe(
      'unsupported format: image (JPEG)',
    );
    expect(rejection(() => detectFormat(new TextEncoder().encode('{\\rtf1\\ansi Hello}'))).message).toBe(
      'unsupported format: RTF document',
    );
    expect(rejection(() => detectFormat(new Uint8Array(gzipSync('hello world')))).message).toBe(
      'unsupported format: gzip archive',
    );
    const elf = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, ...randomBytes(200, 7)]);
    expect(rejection(() => detectFormat(elf, 'notes.md')).message).toBe('unsupported format: executable (ELF)');
  });

  it('tells a legacy Word .doc from a password-protected DOCX (both OLE2)', () => {
    const doc = compoundFile(['WordDocument', '1Table', 'SummaryInformation']);
    expect(rejection(() => detectFormat(doc, 'old.docx'))).toEqual({
      reason: 'unsupported',
      message: 'unsupported format: Word 97-2003 .doc',
    });
    expect(rejection(() => detectFormat(compoundFile(['Workbook']))).message).toBe('unsupported format: Excel 97-2003 .xls');
    // An encrypted OOXML package: the DOCX ingester reports it as encrypted.
    expect(detectFormat(compoundFile(['EncryptionInfo', 'EncryptedPackage']), 'secret.docx')).toBe('docx');
  });

  it('names the real type of other ZIP-based files', async () => {
    const xlsx = await zipOf({
      '[Content_Types].xml':
        '<Types><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
      'xl/workbook.xml': '<workbook/>',
    });
    expect(rejection(() => detectFormat(xlsx, 'book.docx')).message).toBe('unsupported format: spreadsheet (xlsx)');
    const pptx = await zipOf({ '[Content_Types].xml': '<Types/>', 'ppt/presentation.xml': '<p/>' });
    expect(rejection(() => detectFormat(pptx)).message).toBe('unsupported format: presentation (pptx)');
    const odt = await zipOf({ mimetype: 'application/vnd.oasis.opendocument.text', 'content.xml': '<x/>' });
    expect(rejection(() => detectFormat(odt)).message).toBe('unsupported format: OpenDocument text (odt)');
    expect(rejection(() => detectFormat(mammothData('hello.zip'))).message).toBe('unsupported format: ZIP archive');
    const epub = await zipOf({ mimetype: 'application/epub+zip', 'META-INF/container.xml': '<container/>' });
    expect(detectFormat(epub, 'book.zip')).toBe('epub');
  });

  it('still recognises a DOCX whose end (and central directory) is cut off', () => {
    const bytes = docx();
    expect(detectFormat(bytes.subarray(0, Math.floor(bytes.length * 0.6)))).toBe('docx');
  });

  it('rejects random bytes and HTML with a reason', () => {
    expect(rejection(() => detectFormat(randomBytes(10_000, 42), 'data.txt')).message).toBe(
      'unsupported format: binary data',
    );
    const html = new TextEncoder().encode('<!DOCTYPE html>\n<html><body><p>Hi</p></body></html>');
    expect(rejection(() => detectFormat(html, 'page.txt')).message).toBe('unsupported format: HTML web page');
  });
});

describe('Markdown or plain text', () => {
  const markdown = '# Title\n\nSome *emphasis* and a [link](https://example.com).\n\n## Part\n\n- one\n- two\n\n```\ncode\n```\n';
  const prose = 'It was a dark and stormy night.\n\nThe rain fell in torrents.\n';

  it('decides by content when the syntax is clear, whatever the name', () => {
    expect(markdownOrText(markdown, 'notes.txt')).toBe('md');
    expect(markdownOrText(markdown)).toBe('md');
    expect(detectFormat(read(fixture('zh/hongloumeng-ch001-010.md')), 'book.txt')).toBe('md');
  });

  it('lets the extension break a tie only', () => {
    expect(markdownOrText(prose, 'story.md')).toBe('md');
    expect(markdownOrText(prose, 'story.txt')).toBe('txt');
    expect(markdownOrText(prose)).toBe('txt');
  });

  it('keeps a Project Gutenberg book as plain text even when named .md', () => {
    const novel = read(fixture('novels/pride_and_prejudice.txt'));
    expect(detectFormat(novel, 'pride.md')).toBe('txt');
  });
});
