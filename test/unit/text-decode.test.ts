// Decoding a text file piece by piece (for progress on files of tens of MB) gives exactly the
// text of decoding it whole: CRLF pairs, combining marks and multi-byte characters that straddle
// a piece boundary come out the same.
import { describe, expect, it } from 'vitest';
import { decodeText, detectEncoding } from '../../main/core/ingest/encoding.js';
import { normalizeText } from '../../main/core/ingest/text.js';
import { decodeNormalized } from '../../main/core/ingest/text-source.js';

function whole(bytes: Uint8Array): string {
  return normalizeText(decodeText(bytes, detectEncoding(bytes)));
}

describe('decodeNormalized', () => {
  it('matches the whole-file decode across piece boundaries', () => {
    // Lines of odd lengths, so boundaries fall inside "e\u0301" (NFC: é), CRLF and 3-byte characters.
    const line = 'Cafe\u0301 — 漢字 and more words,\r\n';
    const text = `\ufeff${Array.from({ length: 280_000 }, (_, i) => (i % 7 === 0 ? `${line}\r\n` : `${i} ${line}`)).join('')}`;
    const bytes = new Uint8Array(Buffer.from(text, 'utf8'));
    expect(bytes.length).toBeGreaterThan(2 * 4 * 2 ** 20);
    const steps: number[] = [];
    const pieced = decodeNormalized(bytes, detectEncoding(bytes), (done) => steps.push(done));
    // Compared as a boolean: a failing toBe would diff megabytes.
    expect(pieced === whole(bytes)).toBe(true);
    expect(pieced.startsWith('Café —')).toBe(true);
    expect(steps.length).toBeGreaterThan(2);
    expect(steps[steps.length - 1]).toBe(bytes.length);
  });

  it('handles a file without any line break and an empty one', () => {
    const bytes = new Uint8Array(Buffer.from('x'.repeat(9 * 2 ** 20) + '\u00e9', 'utf8'));
    expect(decodeNormalized(bytes, detectEncoding(bytes))).toBe(whole(bytes));
    expect(decodeNormalized(new Uint8Array(0), detectEncoding(new Uint8Array(0)))).toBe('');
  });
});
