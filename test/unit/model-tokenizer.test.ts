import { describe, expect, it } from 'vitest';
import { ByteTokenizer } from '../../main/core/model/tokenizer/tokenizer.js';

// Specials at 0…3, bytes at 4…259: the layout of the random model's byte tokenizer.
const tok = new ByteTokenizer(4, 260);

describe('ByteTokenizer', () => {
  it.each([
    ['English', 'The quick brown fox.\nJumps!'],
    ['Chinese', '合同双方应当遵循公平原则确定各方的权利和义务。'],
    ['emoji', 'ok 👍🏽 fine 🇬🇧!'],
    ['mixed', 'Zoë — 北京 😀 café'],
  ])('round-trips %s and yields one token per UTF-8 byte', (_name, text) => {
    const { ids, offsets } = tok.encode(text);
    expect(ids.length).toBe(Buffer.byteLength(text, 'utf8'));
    expect(offsets.length).toBe(ids.length);
    expect(tok.decode(ids)).toBe(text);
    expect(Array.from(ids).every((id) => id >= 4 && id < 260)).toBe(true);
    expect(Array.from(ids, (id) => id - 4)).toEqual(Array.from(Buffer.from(text, 'utf8')));
  });

  it('gives each token the UTF-16 offset of the character it belongs to', () => {
    expect(Array.from(tok.encode('ab').offsets)).toEqual([0, 1]);
    // 合 is one UTF-16 unit and three bytes.
    expect(Array.from(tok.encode('a合b').offsets)).toEqual([0, 1, 1, 1, 2]);
    // 😀 is a surrogate pair (two units) and four bytes: all four point at its first unit.
    expect(Array.from(tok.encode('a😀b').offsets)).toEqual([0, 1, 1, 1, 1, 3]);
    // é (U+00E9) is two bytes.
    expect(Array.from(tok.encode('é😀').offsets)).toEqual([0, 0, 1, 1, 1, 1]);
  });

  it('slices the text back from offsets', () => {
    const text = '第一章 😀 Chapter one';
    const { ids, offsets } = tok.encode(text);
    const i = Array.from(offsets).indexOf(text.indexOf('C'));
    expect(tok.decode(ids.subarray(i))).toBe(text.slice(offsets[i]));
  });

  it('encodes a lone surrogate as U+FFFD, like TextEncoder', () => {
    const text = 'a\ud800b';
    expect(Array.from(tok.encode(text).ids, (id) => id - 4)).toEqual(Array.from(new TextEncoder().encode(text)));
  });

  it('skips specials when decoding and counts their bytes as 0', () => {
    expect(tok.decode([1, 4 + 104, 4 + 105, 2, 0])).toBe('hi');
    expect(tok.tokenBytes(1)).toBe(0);
    expect(tok.tokenBytes(4 + 65)).toBe(1);
  });

  it('encodes a million characters quickly', () => {
    const text = 'abcdefghij'.repeat(100_000);
    const t0 = performance.now();
    expect(tok.encode(text).ids.length).toBe(1_000_000);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
