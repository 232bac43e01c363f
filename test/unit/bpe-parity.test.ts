// The TypeScript BPE encoder against Hugging Face `tokenizers`: 10,000 reference lines (seeded
// validation lines, English and Chinese, with odd Unicode, whitespace runs, digits, emoji and
// special-token strings spliced in), encoded by HF on the GPU machine (models/train/tokenizer.py).
// Every line must give identical ids and identical start offsets.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BpeFormatError, BpeTokenizer } from '../../main/core/model/tokenizer/bpe.js';
import { defaultModelDir } from '../../main/core/model/default-model.js';
import { repoRoot } from '../support/fixtures.js';

const VOCAB = '16k';
// The trainer's tokenizer-16k.json, as the shipped model carries it.
const tokenizerPath = join(defaultModelDir(), 'tokenizer.json');
const referencePath = join(repoRoot, 'test', 'fixtures', 'tokenizer', `reference-${VOCAB}.jsonl.gz`);
const SPECIALS = ['<bos>', '<eos>', '<sep>', '<pad>'];

interface Reference {
  text: string;
  ids: number[];
  /** Start of each token as a code-point index (what Python reports). */
  starts: number[];
}

const references: Reference[] = gunzipSync(readFileSync(referencePath))
  .toString('utf8')
  .split('\n')
  .filter((line) => line.length > 0)
  .map((line) => JSON.parse(line) as Reference);

/** Code-point index → UTF-16 index, for every code point of the text (and its end). */
function utf16Index(text: string): number[] {
  const at: number[] = [];
  for (let i = 0; i < text.length; i++) {
    at.push(i);
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) i++;
  }
  at.push(text.length);
  return at;
}

function sameArray(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

describe('BpeTokenizer parity with HF tokenizers', () => {
  const tok = BpeTokenizer.fromFile(tokenizerPath);

  it('has the reference lines and the vocabulary it was made with', () => {
    expect(references.length).toBe(10_000);
    expect(tok.vocabSize).toBe(16_384);
    expect(SPECIALS.map((s) => Array.from(tok.encode(s).ids))).toEqual([[0], [1], [2], [3]]);
  });

  it('gives HF ids for every reference line', () => {
    const mismatches = references.filter((r) => !sameArray(tok.encode(r.text).ids, r.ids));
    expect(mismatches.slice(0, 3).map((r) => r.text)).toEqual([]);
    expect(mismatches.length).toBe(0);
  });

  it('gives HF start offsets, as UTF-16 indices', () => {
    const mismatches = references.filter((r) => {
      const at = utf16Index(r.text);
      return !sameArray(tok.encode(r.text).offsets, r.starts.map((s) => at[s]));
    });
    expect(mismatches.slice(0, 3).map((r) => r.text)).toEqual([]);
  });

  it('decodes back to the text (specials are skipped) and counts every byte once', () => {
    for (const r of references) {
      const { ids } = tok.encode(r.text);
      const plain = r.text.replace(/<bos>|<eos>|<sep>|<pad>/g, ''); // one pass, as encode splits
      expect(tok.decode(ids)).toBe(plain);
      let bytes = 0;
      for (const id of ids) bytes += tok.tokenBytes(id);
      expect(bytes).toBe(Buffer.byteLength(plain, 'utf8'));
    }
  });

  it('encodes 1 MB of mixed text fast (printed, not asserted: timings are noisy here)', () => {
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; size < 1_000_000; i = (i + 1) % references.length) {
      parts.push(references[i].text);
      size += Buffer.byteLength(references[i].text, 'utf8') + 1;
    }
    const text = parts.join('\n');
    const fresh = BpeTokenizer.fromFile(tokenizerPath);
    const t0 = performance.now();
    const { ids } = fresh.encode(text);
    const cold = performance.now() - t0;
    const t1 = performance.now();
    fresh.encode(text);
    const warm = performance.now() - t1;
    console.log(`bpe: 1 MB (${ids.length} tokens) in ${cold.toFixed(0)} ms cold, ${warm.toFixed(0)} ms with the word cache warm`);
    expect(ids.length).toBeGreaterThan(100_000);
  });
});

describe('BpeTokenizer input checks', () => {
  const spec = JSON.parse(readFileSync(tokenizerPath, 'utf8')) as Record<string, unknown>;

  it('rejects shapes it cannot match exactly', () => {
    expect(() => BpeTokenizer.fromJson({ ...spec, normalizer: { type: 'NFC' } })).toThrow(BpeFormatError);
    expect(() => BpeTokenizer.fromJson({ ...spec, pre_tokenizer: { type: 'Whitespace' } })).toThrow(/ByteLevel/);
    expect(() => BpeTokenizer.fromJson({ model: { type: 'WordPiece' } })).toThrow(/BPE/);
    expect(() => BpeTokenizer.fromFile(join(repoRoot, 'no-such-tokenizer.json'))).toThrow(/cannot be read/);
  });

  it('gives each token the UTF-16 index of the character it starts in', () => {
    const tok = BpeTokenizer.fromJson(spec);
    const text = 'a😀b 合同';
    const { ids, offsets } = tok.encode(text);
    for (let i = 0; i < ids.length; i++) {
      const unit = text.charCodeAt(offsets[i]);
      expect(unit >= 0xdc00 && unit <= 0xdfff).toBe(false); // never inside a surrogate pair
      if (i > 0) expect(offsets[i]).toBeGreaterThanOrEqual(offsets[i - 1]);
    }
    expect(Array.from(offsets)).toContain(text.indexOf('b'));
    expect(Array.from(offsets)).toContain(text.indexOf(' '));
    expect(tok.decode(ids)).toBe(text);
    // A lone surrogate is encoded as U+FFFD, as TextEncoder does.
    expect(tok.decode(tok.encode('x\ud800y').ids)).toBe('x\ufffdy');
  });
});
