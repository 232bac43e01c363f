// Byte-level BPE: the tokenizer of Lectern's trained model, read from a Hugging Face
// tokenizer.json and in exact parity with HF `tokenizers` (test/unit/bpe-parity.test.ts):
//  1. added tokens (<bos> <eos> <sep> <pad>) are cut out of the text first, as HF does;
//  2. each remaining piece is split by the GPT-2 pre-tokenization regex;
//  3. each pre-token becomes UTF-8 bytes, one symbol per byte, merged by rank the way HF does
//     (always the lowest-ranked adjacent pair, leftmost first), with a cache of words.
// Offsets are UTF-16 indices into the input: a token starting inside a multi-byte character
// gets the index of that character.
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import type { Encoding, Tokenizer } from './encoding.js';
import { MergeTable } from './bpe-merges.js';
import { LecternError } from '../../../../common/errors.js';

export class BpeFormatError extends LecternError {
  constructor(
    readonly source: string,
    detail: string,
  ) {
    super('tokenizer', `tokenizer ${source}: ${detail}`, source);
    this.name = 'BpeFormatError';
  }
}

interface AddedToken {
  id: number;
  content: string;
  special?: boolean;
  single_word?: boolean;
  lstrip?: boolean;
  rstrip?: boolean;
}

interface TokenizerJson {
  added_tokens?: AddedToken[];
  normalizer?: unknown;
  pre_tokenizer?: { type?: string; add_prefix_space?: boolean; use_regex?: boolean } | null;
  model?: {
    type?: string;
    vocab?: Record<string, number>;
    merges?: (string | [string, string])[];
    dropout?: number | null;
    continuing_subword_prefix?: string | null;
    end_of_word_suffix?: string | null;
    byte_fallback?: boolean;
    ignore_merges?: boolean;
  };
}

// GPT-2's pre-tokenization regex as HF writes it, with \s spelled as White_Space (Oniguruma's
// Unicode \s is exactly that set; JavaScript's \s differs: it lacks U+0085, adds U+FEFF).
// HF tokenizers 0.23 matches with Oniguruma's Unicode 16 tables; Node 20.20's are Unicode 17, so
// the letters and digits new in 17 are taken out of \p{L} and \p{N} (checked code point by code
// point against HF for all of U+0000…U+10FFFF). The 'v' flag allows the set difference.
const NEW_LETTERS =
  '\\u{88f}\\u{c5c}\\u{cdc}\\u{a7ce}-\\u{a7cf}\\u{a7d2}\\u{a7d4}\\u{a7f1}\\u{10940}-\\u{10959}\\u{10ec5}-\\u{10ec7}' +
  '\\u{11db0}-\\u{11ddb}\\u{16ea0}-\\u{16eb8}\\u{16ebb}-\\u{16ed3}\\u{16ff2}-\\u{16ff3}\\u{187f8}-\\u{187ff}' +
  '\\u{18d09}-\\u{18d1e}\\u{18d80}-\\u{18df2}\\u{1e6c0}-\\u{1e6de}\\u{1e6e0}-\\u{1e6e2}\\u{1e6e4}-\\u{1e6e5}' +
  '\\u{1e6e7}-\\u{1e6ed}\\u{1e6f0}-\\u{1e6f4}\\u{1e6fe}-\\u{1e6ff}\\u{2b73a}-\\u{2b73f}\\u{2cea2}-\\u{2cead}' +
  '\\u{323b0}-\\u{33479}';
const NEW_DIGITS = '\\u{11de0}-\\u{11de9}\\u{16ff4}-\\u{16ff6}';
const LETTER = `[\\p{L}--[${NEW_LETTERS}]]`;
const DIGIT = `[\\p{N}--[${NEW_DIGITS}]]`;
const PRETOKEN = new RegExp(
  `'(?:[stmd]|re|ve|ll)| ?${LETTER}+| ?${DIGIT}+| ?[^\\p{White_Space}${LETTER}${DIGIT}]+` +
    '|\\p{White_Space}+(?!\\P{White_Space})|\\p{White_Space}+',
  'gv',
);

// Words repeat (English especially); runs of Chinese characters between punctuation mostly do
// not, and very long runs are not worth keeping.
const WORD_CACHE_LIMIT = 200_000;
const CACHED_WORD_LENGTH = 64;

export class BpeTokenizer implements Tokenizer {
  readonly vocabSize: number;
  private readonly byteIds = new Int32Array(256);
  private readonly merges: MergeTable;
  /** Per id: the bytes it stands for (empty for specials). */
  private readonly bytesOf: Uint8Array[];
  private readonly special: Uint8Array;
  private readonly added: Map<string, number>;
  private readonly addedPattern: RegExp | null;
  private readonly ignoreMerges: boolean;
  private readonly vocab: Map<string, number>;
  private readonly cache = new Map<string, Int32Array>();

  static fromFile(path: string): BpeTokenizer {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new BpeFormatError(path, `cannot be read (${(e as Error).message})`);
    }
    return BpeTokenizer.fromJson(json, path);
  }

  static fromJson(json: unknown, source = 'tokenizer.json'): BpeTokenizer {
    return new BpeTokenizer(checkShape(json, source), source);
  }

  private constructor(spec: TokenizerJson, source: string) {
    const model = spec.model!;
    const vocab = model.vocab!;
    const added = spec.added_tokens ?? [];
    let size = 0;
    for (const id of Object.values(vocab)) size = Math.max(size, id + 1);
    for (const t of added) size = Math.max(size, t.id + 1);
    this.vocabSize = size;
    this.vocab = new Map(Object.entries(vocab));
    this.ignoreMerges = model.ignore_merges === true;

    const charToByte = byteLevelDecoder();
    this.bytesOf = new Array<Uint8Array>(size).fill(new Uint8Array(0));
    for (const [token, id] of this.vocab) {
      const bytes = new Uint8Array(token.length);
      let n = 0;
      for (const ch of token) {
        const b = charToByte.get(ch);
        if (b === undefined) throw new BpeFormatError(source, `token ${JSON.stringify(token)} is not byte-level`);
        bytes[n++] = b;
      }
      this.bytesOf[id] = bytes.subarray(0, n);
    }
    for (const [ch, b] of charToByte) {
      const id = this.vocab.get(ch);
      if (id === undefined) throw new BpeFormatError(source, `byte ${b} has no token`);
      this.byteIds[b] = id;
    }

    this.merges = new MergeTable(model.merges!.length);
    model.merges!.forEach((merge, rank) => {
      const [a, b] = typeof merge === 'string' ? splitMerge(merge, source) : merge;
      const ia = this.vocab.get(a);
      const ib = this.vocab.get(b);
      const result = this.vocab.get(a + b);
      if (ia === undefined || ib === undefined || result === undefined) {
        throw new BpeFormatError(source, `merge ${rank} (${a} ${b}) refers to unknown tokens`);
      }
      this.merges.set(ia, ib, rank, result);
    });

    this.special = new Uint8Array(size);
    this.added = new Map();
    for (const t of added) {
      if (t.single_word || t.lstrip || t.rstrip) {
        throw new BpeFormatError(source, `added token ${t.content}: single_word/lstrip/rstrip are not supported`);
      }
      this.added.set(t.content, t.id);
      if (t.special) this.special[t.id] = 1;
      else this.bytesOf[t.id] = new TextEncoder().encode(t.content);
    }
    // Longest first, so that at one position the longest added token wins (HF matches
    // leftmost-longest).
    const contents = [...this.added.keys()].sort((a, b) => b.length - a.length);
    this.addedPattern = contents.length > 0 ? new RegExp(contents.map(escapeRegExp).join('|'), 'g') : null;
  }

  encode(text: string, lead = 0): Encoding {
    // 3.1 (Chinese) to 3.6 (English) UTF-8 bytes per token in the corpus, so bytes / 3 rarely
    // has to grow and wastes little: a book's arrays are the reading's largest allocation.
    const capacity = lead + Math.ceil(Buffer.byteLength(text, 'utf8') / 3) + 16;
    const out: Output = { ids: new Int32Array(capacity), offsets: new Int32Array(capacity), n: lead };
    if (this.addedPattern === null) {
      this.encodeOrdinary(text, 0, text.length, out);
    } else {
      let from = 0;
      this.addedPattern.lastIndex = 0;
      for (let m = this.addedPattern.exec(text); m !== null; m = this.addedPattern.exec(text)) {
        this.encodeOrdinary(text, from, m.index, out);
        reserve(out, 1);
        out.ids[out.n] = this.added.get(m[0])!;
        out.offsets[out.n++] = m.index;
        from = m.index + m[0].length;
      }
      this.encodeOrdinary(text, from, text.length, out);
    }
    // Views, not copies: a copy would double the peak for a long document.
    return { ids: out.ids.subarray(0, out.n), offsets: out.offsets.subarray(lead, out.n) };
  }

  decode(ids: ArrayLike<number>): string {
    let total = 0;
    for (let i = 0; i < ids.length; i++) total += this.tokenBytes(ids[i]);
    const bytes = new Uint8Array(total);
    let at = 0;
    for (let i = 0; i < ids.length; i++) {
      if (this.tokenBytes(ids[i]) === 0) continue;
      bytes.set(this.bytesOf[ids[i]], at);
      at += this.bytesOf[ids[i]].length;
    }
    // Invalid UTF-8 (a cut through a character) becomes U+FFFD, as HF's from_utf8_lossy does.
    return UTF8.decode(bytes);
  }

  tokenBytes(id: number): number {
    return id >= 0 && id < this.vocabSize && !this.special[id] ? this.bytesOf[id].length : 0;
  }

  private encodeOrdinary(text: string, start: number, end: number, out: Output): void {
    if (start >= end) return;
    const segment = start === 0 && end === text.length ? text : text.slice(start, end);
    PRETOKEN.lastIndex = 0;
    let last = 0;
    for (let m = PRETOKEN.exec(segment); m !== null; m = PRETOKEN.exec(segment)) {
      // Every character falls in one of the regex's classes, so pieces are contiguous; a gap
      // would be kept as its own piece, as HF's isolating split does.
      if (m.index > last) this.encodeWord(segment.slice(last, m.index), start + last, out);
      this.encodeWord(m[0], start + m.index, out);
      last = m.index + m[0].length;
    }
    if (last < segment.length) this.encodeWord(segment.slice(last), start + last, out);
  }

  private encodeWord(word: string, at: number, out: Output): void {
    let ids = this.cache.get(word);
    if (ids === undefined) {
      ids = this.mergeWord(word);
      if (word.length <= CACHED_WORD_LENGTH) {
        if (this.cache.size >= WORD_CACHE_LIMIT) this.cache.clear();
        this.cache.set(word, ids);
      }
    }
    reserve(out, ids.length);
    // Offsets: walk the word's characters alongside the tokens' byte lengths.
    let unit = 0; // UTF-16 index in the word of the current character
    let charStart = 0; // its first byte
    let charLen = utf8Length(word, 0);
    let byte = 0; // the current token's first byte
    for (let i = 0; i < ids.length; i++) {
      while (byte >= charStart + charLen) {
        charStart += charLen;
        unit += charLen === 4 ? 2 : 1;
        charLen = utf8Length(word, unit);
      }
      out.ids[out.n] = ids[i];
      out.offsets[out.n++] = at + unit;
      byte += this.bytesOf[ids[i]].length;
    }
  }

  /** HF's BPE on one pre-token: bytes → byte symbols → merges (or the whole word, if allowed). */
  private mergeWord(word: string): Int32Array {
    const bytes = UTF8_ENCODER.encode(word);
    if (this.ignoreMerges) {
      let symbols = '';
      for (const b of bytes) symbols += BYTE_CHARS[b];
      const whole = this.vocab.get(symbols);
      if (whole !== undefined) return Int32Array.of(whole);
    }
    const sym = new Int32Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) sym[i] = this.byteIds[bytes[i]];
    return sym.length < 2 ? sym : this.merges.mergeAll(sym);
  }
}

interface Output {
  ids: Int32Array;
  offsets: Int32Array;
  n: number;
}

function reserve(out: Output, more: number): void {
  if (out.n + more <= out.ids.length) return;
  const size = Math.max(out.ids.length * 2, out.n + more);
  const ids = new Int32Array(size);
  const offsets = new Int32Array(size);
  ids.set(out.ids.subarray(0, out.n));
  offsets.set(out.offsets.subarray(0, out.n));
  out.ids = ids;
  out.offsets = offsets;
}

// ignoreBOM: a leading U+FEFF is text like any other (TextDecoder would drop it).
const UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });
const UTF8_ENCODER = new TextEncoder();

/** UTF-8 bytes of the character at UTF-16 index i (a lone surrogate counts as U+FFFD: 3). */
function utf8Length(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c < 0x80) return 1;
  if (c < 0x800) return 2;
  if (c >= 0xd800 && c <= 0xdbff) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 4;
  }
  return 3;
}

function checkShape(json: unknown, source: string): TokenizerJson {
  const spec = json as TokenizerJson;
  const fail = (detail: string): never => {
    throw new BpeFormatError(source, detail);
  };
  if (typeof json !== 'object' || json === null) fail('is not a JSON object');
  const model = spec.model;
  if (!model || model.type !== 'BPE') fail(`model type ${JSON.stringify(model?.type)}, expected "BPE"`);
  if (typeof model!.vocab !== 'object' || !Array.isArray(model!.merges)) fail('model lacks vocab or merges');
  if (model!.dropout) fail('BPE dropout is not supported');
  if (model!.continuing_subword_prefix || model!.end_of_word_suffix) fail('subword prefixes/suffixes are not supported');
  if (model!.byte_fallback) fail('byte_fallback is not supported');
  if (spec.normalizer) fail('normalizers are not supported (the text must be NFC already)');
  const pre = spec.pre_tokenizer;
  if (!pre || pre.type !== 'ByteLevel' || pre.add_prefix_space !== false || pre.use_regex === false) {
    fail('pre_tokenizer must be ByteLevel with add_prefix_space false and the GPT-2 regex');
  }
  return spec;
}

function splitMerge(merge: string, source: string): [string, string] {
  const space = merge.indexOf(' ');
  if (space <= 0) throw new BpeFormatError(source, `merge ${JSON.stringify(merge)} is not "a b"`);
  return [merge.slice(0, space), merge.slice(space + 1)];
}

/** GPT-2's printable stand-ins for the 256 bytes, character → byte. */
function byteLevelDecoder(): Map<string, number> {
  return new Map(BYTE_CHARS.map((ch, b) => [ch, b]));
}

const BYTE_CHARS: string[] = byteLevelAlphabet();

function byteLevelAlphabet(): string[] {
  const chars: string[] = [];
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    chars.push(String.fromCharCode(printable ? b : 256 + extra++));
  }
  return chars;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
