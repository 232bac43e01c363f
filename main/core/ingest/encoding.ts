// Character encoding of text files: decided on a sample, so a file of hundreds of megabytes is
// decoded exactly once. Supported: UTF-8 (with or without BOM), UTF-16 LE/BE (BOM, or the
// unmistakable zero-byte pattern of ASCII-heavy UTF-16), GB18030 (a superset of GBK/GB2312)
// and, for anything else that is not binary, Windows-1252 (the Western default, which also
// covers Latin-1).

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'windows-1252';

export interface EncodingGuess {
  encoding: TextEncoding;
  /** Bytes of byte-order mark to skip. */
  bomLength: number;
}

/** How much of a file the guess looks at: enough for a verdict, little enough to be instant. */
export const SAMPLE_BYTES = 256 * 1024;

export function detectEncoding(bytes: Uint8Array): EncodingGuess {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  const sample = bytes.subarray(0, SAMPLE_BYTES);
  const utf16 = utf16WithoutBom(sample);
  if (utf16) return { encoding: utf16, bomLength: 0 };
  if (isUtf8(sample, sample.length < bytes.length)) return { encoding: 'utf-8', bomLength: 0 };
  if (looksLikeGb18030(sample, sample.length < bytes.length)) return { encoding: 'gb18030', bomLength: 0 };
  return { encoding: 'windows-1252', bomLength: 0 };
}

/**
 * Decodes with the guessed encoding. Bytes that do not fit (a stray invalid byte deep inside
 * an otherwise valid file) become U+FFFD instead of failing the whole file.
 */
export function decodeText(bytes: Uint8Array, guess: EncodingGuess = detectEncoding(bytes)): string {
  return decode(bytes.subarray(guess.bomLength), guess.encoding);
}

function decode(bytes: Uint8Array, encoding: TextEncoding): string {
  return fixWindows1252(new TextDecoder(encoding, { fatal: false, ignoreBOM: true }).decode(bytes), encoding);
}

/**
 * Decodes a file a piece at a time (the BOM already cut off by the caller): each call takes the
 * next bytes, and `last` flushes a character split between pieces.
 */
export function pieceDecoder(encoding: TextEncoding): (bytes: Uint8Array, last: boolean) => string {
  const decoder = new TextDecoder(encoding, { fatal: false, ignoreBOM: true });
  return (bytes, last) => fixWindows1252(decoder.decode(bytes, { stream: !last }), encoding);
}

function fixWindows1252(text: string, encoding: TextEncoding): string {
  // Node's decoder treats windows-1252 as Latin-1 (nodejs/node#56542): map 0x80–0x9F here.
  return encoding === 'windows-1252' ? text.replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]) : text;
}

// Windows-1252 0x80–0x9F; the five undefined positions keep their C1 code points, as WHATWG does.
const WINDOWS_1252_HIGH = [
  '€', '\u0081', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u008d', 'Ž', '\u008f',
  '\u0090', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u009d', 'ž', 'Ÿ',
];

/** Decodes only a prefix, for content sniffing; a character cut at the end is dropped. */
export function decodeSample(bytes: Uint8Array, guess: EncodingGuess, maxBytes = SAMPLE_BYTES): string {
  const end = Math.min(bytes.length, guess.bomLength + maxBytes);
  const text = decode(bytes.subarray(guess.bomLength, end), guess.encoding);
  return end < bytes.length ? text.replace(/\uFFFD+$/, '') : text;
}

/** Strict UTF-8 validation; `truncated` allows an incomplete sequence at the very end. */
function isUtf8(bytes: Uint8Array, truncated: boolean): boolean {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return false;
    // A sequence running past the end is fine only where the sample, not the file, ends.
    if (i + need >= n) return truncated;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) return false;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += need + 1;
  }
  return true;
}

/**
 * GB18030 is claimed when every multi-byte sequence is well formed and most two-byte characters
 * lie in the GB2312 region (both bytes ≥ 0xA1), where all common Chinese characters live.
 * Western Windows-1252 text almost never passes: its lone accented letters are followed by ASCII,
 * which is either invalid in GB18030 or falls outside that region.
 */
function looksLikeGb18030(bytes: Uint8Array, truncated: boolean): boolean {
  let doubles = 0;
  let common = 0;
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    if (b === 0x80 || b === 0xff) return false;
    if (i + 1 >= n) return truncated;
    const c = bytes[i + 1];
    if (c >= 0x30 && c <= 0x39) {
      if (i + 3 >= n) return truncated;
      const d = bytes[i + 2];
      const e = bytes[i + 3];
      if (d < 0x81 || d > 0xfe || e < 0x30 || e > 0x39) return false;
      i += 4;
      continue;
    }
    if (c < 0x40 || c === 0x7f || c === 0xff) return false;
    doubles++;
    if (b >= 0xa1 && c >= 0xa1) common++;
    i += 2;
  }
  return doubles > 0 && common / doubles >= 0.8;
}

/** ASCII-heavy UTF-16 without a BOM has a zero in every other byte. */
function utf16WithoutBom(sample: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const pairs = Math.floor(Math.min(sample.length, 4096) / 2);
  if (pairs < 2) return null;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < pairs; i++) {
    if (sample[2 * i] === 0) zeroEven++;
    if (sample[2 * i + 1] === 0) zeroOdd++;
  }
  if (zeroOdd > pairs * 0.4 && zeroEven < pairs * 0.05) return 'utf-16le';
  if (zeroEven > pairs * 0.4 && zeroOdd < pairs * 0.05) return 'utf-16be';
  return null;
}
