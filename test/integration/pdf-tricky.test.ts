// Every file in fixtures/tricky (the pdf.js test corpus: encrypted, fuzzed, image-only, rotated,
// vertical, Type3, XFA) either ingests or is rejected with the expected one-line reason, within
// a time limit. Outcomes were established file by file with pdf.js and poppler (pdfinfo,
// pdftotext); passwords are those recorded in pdf.js's test manifest.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Document } from '../../main/core/document.js';
import { InputRejected, type RejectionReason } from '../../main/core/errors.js';
import { ingestPdf } from '../../main/core/ingest/pdf.js';
import { fixture, localFixtures } from '../support/fixtures.js';
import { expectConsistentOffsets } from '../support/ingest-checks.js';

// The files of pdf.js's test corpus that test/fixtures/SOURCES.md lists: the repository's own
// copy, so the expectation below covers exactly these files on every machine.
const dir = join(localFixtures, 'tricky');
const TIME_LIMIT_MS = 60_000;

type Expected =
  | { reject: RejectionReason }
  | { pages: number; contains: string; onPage?: number };

const EXPECTED: Record<string, Expected> = {
  'ArabicCIDTrueType.pdf': { pages: 1, contains: 'اﻧﻮاع' },
  'IdentityToUnicodeMap_charCodeOf.pdf': { pages: 1, contains: 'ABCdef' },
  // Opens; its only page carries an empty form field and no text or image.
  'PDFBOX-3148-2-fuzzed.pdf': { reject: 'empty' },
  'Type3WordSpacing.pdf': { pages: 1, contains: 'ab ba abba' },
  // A 100000×100000 JBIG2 image: text only, the image is never decoded.
  'bomb_giant.pdf': { pages: 1, contains: 'GIANT JBIG2 BOMB' },
  'bug1020226.pdf': { reject: 'corrupt' },
  'copy_paste_ligatures.pdf': { pages: 1, contains: 'ghijklmno' },
  // Encrypted with an owner password only (opens without one), and blank.
  'empty_protected.pdf': { reject: 'empty' },
  'hello_world_rotated.pdf': { pages: 5, contains: 'Hello world', onPage: 5 },
  // Images, but also a line of real text.
  'images.pdf': { pages: 1, contains: 'Hello, test test.' },
  'issue3371.pdf': { reject: 'encrypted' },
  'issue6010_1.pdf': { reject: 'encrypted' },
  'issue9105_other.pdf': { pages: 1, contains: 'Adobe tweet' },
  'pdkids.pdf': { pages: 55, contains: 'The Buried Moon' },
  'poppler-395-0-fuzzed.pdf': { reject: 'corrupt' },
  // Claims 213,804,087 pages; pdf.js finds one, with nothing on it.
  'poppler-85140-0.pdf': { reject: 'empty' },
  // Damaged content streams: some pages read, with some garbage.
  'poppler-90-0-fuzzed.pdf': { pages: 16, contains: 'Key Distribution' },
  'pr6531_1.pdf': { reject: 'encrypted' },
  // Despite its name it has a user password ("1234").
  'print_protection.pdf': { reject: 'encrypted' },
  'rotation.pdf': { pages: 2, contains: 'This is my second page.', onPage: 2 },
  // A scan with an invisible text layer.
  'scan-bad.pdf': { pages: 1, contains: 'pdf.js' },
  // Owner password only; its one visible string is a push button's caption, not page text.
  'secHandler.pdf': { reject: 'empty' },
  'vertical.pdf': { pages: 3, contains: 'あいうえお' },
  'xfa_issue14315.pdf': { pages: 1, contains: 'requires Adobe Reader 8 or higher' },
};

const PASSWORDS: Array<{ file: string; password: string; expected: Expected }> = [
  { file: 'issue6010_1.pdf', password: 'abc', expected: { pages: 1, contains: 'Issue 6010' } },
  { file: 'print_protection.pdf', password: '1234', expected: { pages: 1, contains: 'Hello World' } },
  // Opened with the right password, these are image-only scans.
  { file: 'issue3371.pdf', password: 'ELXRTQWS', expected: { reject: 'scanned' } },
  { file: 'pr6531_1.pdf', password: 'asdfasdf', expected: { reject: 'scanned' } },
];

async function outcome(file: string, password?: string): Promise<Document | InputRejected> {
  const bytes = new Uint8Array(readFileSync(fixture(`tricky/${file}`)));
  const started = Date.now();
  try {
    return await ingestPdf(bytes, { password });
  } catch (error) {
    // Anything but InputRejected is a crash as far as the user is concerned.
    expect(error).toBeInstanceOf(InputRejected);
    return error as InputRejected;
  } finally {
    expect(Date.now() - started).toBeLessThan(TIME_LIMIT_MS);
  }
}

function check(result: Document | InputRejected, expected: Expected): void {
  if ('reject' in expected) {
    expect(result).toBeInstanceOf(InputRejected);
    const rejection = result as InputRejected;
    expect(rejection.reason).toBe(expected.reject);
    expect(rejection.message).toMatch(/^[^\n]+$/);
    return;
  }
  expect(result).not.toBeInstanceOf(InputRejected);
  const doc = result as Document;
  expect(doc.pages).toBe(expected.pages);
  expect(doc.text).toContain(expected.contains);
  if (expected.onPage !== undefined) {
    expect(doc.blocks.some((b) => b.page === expected.onPage && b.text.includes(expected.contains))).toBe(true);
  }
  expectConsistentOffsets(doc);
}

describe('PDF: every tricky file ingests or is rejected with its reason', () => {
  it('has an expectation for every file in the folder', () => {
    const files = readdirSync(dir).filter((f) => f.toLowerCase().endsWith('.pdf')).sort();
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(file, { timeout: TIME_LIMIT_MS }, async () => {
      check(await outcome(file), expected);
    });
  }
});

describe('PDF: encrypted tricky files with their passwords', () => {
  for (const { file, password, expected } of PASSWORDS) {
    it(`${file} opens with its password`, { timeout: TIME_LIMIT_MS }, async () => {
      check(await outcome(file, password), expected);
      const wrong = await outcome(file, `${password}-wrong`);
      expect(wrong).toBeInstanceOf(InputRejected);
      expect((wrong as InputRejected).reason).toBe('wrong-password');
    });
  }
});
