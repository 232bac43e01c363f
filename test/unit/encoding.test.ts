import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeText, detectEncoding, SAMPLE_BYTES } from '../../main/core/ingest/encoding.js';
import { ingest } from '../../main/core/ingest/index.js';
import { fixture } from '../support/fixtures.js';

// The same Chinese text (红楼梦, chapter 1, public domain) as committed: UTF-8, and GB18030
// produced with `iconv -f UTF-8 -t GB18030` (it includes a four-byte character, 𠮷).
const utf8 = new Uint8Array(readFileSync(fixture('zh/encoding-sample.utf8.txt')));
const gb18030 = new Uint8Array(readFileSync(fixture('zh/encoding-sample.gb18030.txt')));
const source = new TextDecoder().decode(utf8);

function utf16(text: string, bigEndian: boolean): Uint8Array {
  const le = Buffer.from(`\uFEFF${text}`, 'utf16le');
  if (bigEndian) le.swap16();
  return new Uint8Array(le);
}

const variants: Array<[string, Uint8Array, string]> = [
  ['UTF-8', utf8, 'utf-8'],
  ['UTF-8 with BOM', new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]), 'utf-8'],
  ['UTF-16LE with BOM', utf16(source, false), 'utf-16le'],
  ['UTF-16BE with BOM', utf16(source, true), 'utf-16be'],
  ['GB18030', gb18030, 'gb18030'],
];

describe('text encodings', () => {
  it.each(variants)('%s is recognised', (_name, bytes, encoding) => {
    expect(detectEncoding(bytes).encoding).toBe(encoding);
    expect(decodeText(bytes).replace(/^\uFEFF/, '')).toBe(source);
  });

  it('every encoding of the same text ingests to identical text and blocks', async () => {
    const docs = await Promise.all(variants.map(([, bytes]) => ingest(bytes, { fileName: 'sample.txt' })));
    const reference = docs[0];
    expect(reference.blocks[0]).toMatchObject({ kind: 'heading', text: '第一回 甄士隐梦幻识通灵 贾雨村风尘怀闺秀' });
    // Two hard-wrapped lines of Chinese join without a space.
    expect(reference.text).toContain('列位看官：你道此书从何而来？说起根由虽近荒唐，细按则深有趣味。');
    expect(reference.text).toContain('罕用字 𠮷 与 ‰');
    for (const doc of docs.slice(1)) {
      expect(doc.text).toBe(reference.text);
      expect(doc.blocks).toEqual(reference.blocks);
    }
  });

  it('reads Western text that is not UTF-8 as Windows-1252', () => {
    // "Café “naïve” — 10€" in Windows-1252: curly quotes, dash and euro live in 0x80–0x9F.
    const bytes = new Uint8Array([
      0x43, 0x61, 0x66, 0xe9, 0x20, 0x93, 0x6e, 0x61, 0xef, 0x76, 0x65, 0x94, 0x20, 0x97, 0x20, 0x31, 0x30, 0x80,
    ]);
    expect(detectEncoding(bytes).encoding).toBe('windows-1252');
    expect(decodeText(bytes)).toBe('Café “naïve” — 10€');
  });

  it('recognises ASCII-heavy UTF-16 without a byte-order mark', () => {
    const text = 'Plain English text saved as UTF-16 by an old editor.\n'.repeat(4);
    expect(detectEncoding(new Uint8Array(Buffer.from(text, 'utf16le'))).encoding).toBe('utf-16le');
    expect(detectEncoding(new Uint8Array(Buffer.from(text, 'utf16le').swap16())).encoding).toBe('utf-16be');
  });

  it('judges a large file on its sample even when a character straddles the sample end', () => {
    // 3-byte characters after an ASCII prefix chosen so the sample ends inside a character.
    const prefix = (SAMPLE_BYTES - 1) % 3 !== 0 ? 'x' : 'xy';
    expect((SAMPLE_BYTES - prefix.length) % 3).not.toBe(0);
    const text = `${prefix}${'红'.repeat(Math.ceil(SAMPLE_BYTES / 3) + 10)}`;
    expect(detectEncoding(new Uint8Array(Buffer.from(text, 'utf8'))).encoding).toBe('utf-8');
  });

  it('keeps a UTF-8 file as UTF-8 when a stray byte appears after the sample', () => {
    const head = Buffer.from(`${'Ω and ordinary words. '.repeat(Math.ceil(SAMPLE_BYTES / 20))}`, 'utf8');
    const bytes = new Uint8Array(Buffer.concat([head, Buffer.from([0xff]), Buffer.from(' tail ✓', 'utf8')]));
    expect(detectEncoding(bytes).encoding).toBe('utf-8');
    const text = decodeText(bytes);
    expect(text.endsWith('\uFFFD tail ✓')).toBe(true);
  });
});
