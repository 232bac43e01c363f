// Text ↔ token ids. Every tokenizer reports, for each token, the UTF-16 offset in the text
// where it starts, so passages (character ranges) map to token ranges and back.
// 'bytes' (one token per UTF-8 byte) is what the untrained model uses; 'bpe' (a Hugging Face
// byte-level BPE tokenizer.json, encoded by bpe.ts with exact parity) is the trained model's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BpeTokenizer } from './bpe.js';
import type { Encoding, Tokenizer } from './encoding.js';
import { ManifestError, type ModelManifest } from '../manifest.js';

export type { Encoding, Tokenizer } from './encoding.js';

export function loadTokenizer(modelDir: string, manifest: ModelManifest): Tokenizer {
  const path = join(modelDir, manifest.tokenizer.file);
  let spec: unknown;
  try {
    spec = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ManifestError(modelDir, `cannot read tokenizer ${manifest.tokenizer.file} (${(e as Error).message})`);
  }
  switch (manifest.tokenizer.type) {
    case 'bytes': {
      const type = typeof spec === 'object' && spec !== null ? (spec as { type?: unknown }).type : undefined;
      if (type !== 'bytes') {
        throw new ManifestError(modelDir, `${manifest.tokenizer.file} has type ${JSON.stringify(type)}, manifest.json says "bytes"`);
      }
      return new ByteTokenizer(byteOffsetOf(modelDir, spec as ByteTokenizerSpec, manifest), manifest.vocab_size);
    }
    case 'bpe': {
      // A Hugging Face tokenizer.json (byte-level BPE), the trainer's own file.
      let bpe: BpeTokenizer;
      try {
        bpe = BpeTokenizer.fromJson(spec, path);
      } catch (e) {
        throw new ManifestError(modelDir, (e as Error).message);
      }
      if (bpe.vocabSize > manifest.vocab_size) {
        throw new ManifestError(modelDir, `${manifest.tokenizer.file} has ${bpe.vocabSize} tokens, more than vocab_size ${manifest.vocab_size}`);
      }
      return bpe;
    }
  }
}

interface ByteTokenizerSpec {
  type: 'bytes';
  /** Id of byte 0; bytes b map to byte_offset + b. */
  byte_offset?: number;
  specials?: Record<string, number>;
}

/**
 * Where byte 0 sits in the vocabulary: given explicitly, or just after the specials when they
 * come first, or 0 when the specials follow the 256 byte ids.
 */
function byteOffsetOf(modelDir: string, spec: ByteTokenizerSpec, manifest: ModelManifest): number {
  const specials = Object.values(manifest.specials);
  let offset: number;
  if (typeof spec.byte_offset === 'number') offset = spec.byte_offset;
  else offset = specials.some((s) => s < 256) ? Math.max(...specials) + 1 : 0;
  if (!Number.isInteger(offset) || offset < 0 || offset + 256 > manifest.vocab_size) {
    throw new ManifestError(modelDir, `byte tokenizer: bytes at ${offset}…${offset + 255} do not fit vocab_size ${manifest.vocab_size}`);
  }
  if (specials.some((s) => s >= offset && s < offset + 256)) {
    throw new ManifestError(modelDir, `byte tokenizer: a special id falls inside the byte range ${offset}…${offset + 255}`);
  }
  return offset;
}

export class ByteTokenizer implements Tokenizer {
  constructor(
    private readonly byteOffset: number,
    readonly vocabSize: number,
  ) {}

  encode(text: string, lead = 0): Encoding {
    // Worst case 3 UTF-8 bytes per UTF-16 unit (a surrogate pair is 2 units → 4 bytes).
    const ids = new Int32Array(lead + text.length * 3);
    const offsets = new Int32Array(lead + text.length * 3);
    const base = this.byteOffset;
    let n = lead;
    for (let i = 0; i < text.length; i++) {
      const start = i;
      let cp = text.charCodeAt(i);
      if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
        const lo = text.charCodeAt(i + 1);
        if (lo >= 0xdc00 && lo <= 0xdfff) {
          cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          i++;
        }
      }
      // A lone surrogate becomes U+FFFD, as TextEncoder does.
      if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
      if (cp < 0x80) {
        ids[n] = base + cp;
        offsets[n++] = start;
      } else if (cp < 0x800) {
        ids[n] = base + (0xc0 | (cp >> 6));
        offsets[n++] = start;
        ids[n] = base + (0x80 | (cp & 0x3f));
        offsets[n++] = start;
      } else if (cp < 0x10000) {
        ids[n] = base + (0xe0 | (cp >> 12));
        offsets[n++] = start;
        ids[n] = base + (0x80 | ((cp >> 6) & 0x3f));
        offsets[n++] = start;
        ids[n] = base + (0x80 | (cp & 0x3f));
        offsets[n++] = start;
      } else {
        ids[n] = base + (0xf0 | (cp >> 18));
        offsets[n++] = start;
        ids[n] = base + (0x80 | ((cp >> 12) & 0x3f));
        offsets[n++] = start;
        ids[n] = base + (0x80 | ((cp >> 6) & 0x3f));
        offsets[n++] = start;
        ids[n] = base + (0x80 | (cp & 0x3f));
        offsets[n++] = start;
      }
    }
    return { ids: ids.slice(0, n), offsets: offsets.slice(lead, n) };
  }

  decode(ids: ArrayLike<number>): string {
    const bytes = new Uint8Array(ids.length);
    let n = 0;
    for (let i = 0; i < ids.length; i++) {
      const b = ids[i] - this.byteOffset;
      if (b >= 0 && b < 256) bytes[n++] = b;
    }
    return new TextDecoder().decode(bytes.subarray(0, n));
  }

  tokenBytes(id: number): number {
    const b = id - this.byteOffset;
    return b >= 0 && b < 256 ? 1 : 0;
  }
}
