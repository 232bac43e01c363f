// A document's token stream, tokenized a piece at a time as the reader needs it (issue 18): a
// book of 13M tokens took about 40 s to tokenize whole before the first progress event, and its
// ids and offsets (100 MB) were held for the whole read. Here the text is cut into pieces of
// about PIECE_CHARS at safe boundaries, so the tokens are exactly those of the whole text, and
// only the ids from the reader's position on are kept; the passages' token ranges are worked out
// piece by piece from the offsets, which are dropped with their piece.
//
// A safe boundary is a whitespace character right after a non-whitespace one. No pre-token of
// the byte-level BPE (bpe.ts) spans such a pair (the only alternatives that cross into
// whitespace start with it, and a word's optional leading space is U+0020 before letters, never
// a space after them), and the regex looks neither behind nor, at the end of a piece, past a
// non-whitespace character; the added tokens (<bos>, <eos>, <sep>, <pad>) hold no whitespace;
// and the byte tokenizer has no context at all. So each piece tokenizes as it does inside the
// whole text (test/unit/document-tokens.test.ts checks the equality on real books, Chinese too).
import type { Tokenizer } from '../model/tokenizer/tokenizer.js';
import type { PassageTokens } from './pooling.js';
import { firstIndexAtOrAfter } from '../sorted.js';

/** About 64k tokens of English: tenths of a second a piece on a loaded 2-core machine. */
export const PIECE_CHARS = 256 * 1024;

interface PassageSpan {
  ordinal: number;
  start: number;
  end: number;
}

/** Where a piece may end: the first whitespace after a non-whitespace character at or past `from`. */
export function safeCut(text: string, from: number): number {
  for (let i = Math.max(1, from); i < text.length; i++) {
    if (WHITE.test(text[i]) && !WHITE.test(text[i - 1])) return i;
  }
  return text.length;
}

const WHITE = /\p{White_Space}/u;

/**
 * The text a DocumentTokens walks: a string, or a stored document read by ranges
 * (store/document-text.ts StoredText), so that the reader never holds a huge text whole.
 */
export interface TextSource {
  readonly length: number;
  slice(from: number, to: number): string;
  /** The text's length in UTF-8 bytes. */
  utf8Bytes(): number;
}

export function stringSource(text: string): TextSource {
  return { length: text.length, slice: (from, to) => text.slice(from, to), utf8Bytes: () => Buffer.byteLength(text, 'utf8') };
}

/** safeCut over a TextSource, reading it a window at a time. */
export function safeCutIn(source: TextSource, from: number): number {
  for (let at = Math.max(1, from); at < source.length; at += CUT_WINDOW) {
    // The window starts one character early: a cut at `at` depends on the character before it.
    const window = source.slice(at - 1, at + CUT_WINDOW);
    const i = safeCut(window, 1);
    if (i < window.length) return at - 1 + i;
  }
  return source.length;
}

const CUT_WINDOW = 4096;

export class DocumentTokens {
  /** Ids of stream positions [base, available). */
  private ids = new Int32Array(0);
  private base = 0;
  private count = 1;
  /** Characters of the text tokenized so far. */
  private frontier = 0;
  /** Stream positions before this are not needed again (see release). */
  private keepFrom = 0;
  /** Passages whose token ranges are known, in text order (the pooler reads this array as it grows). */
  readonly passages: PassageTokens[] = [];
  private nextSpan = 0;
  /** The next passage's tokenStart once its first character is tokenized, before its end is. */
  private pendingStart: number | null = null;

  constructor(
    private readonly tokenizer: Tokenizer,
    bos: number,
    private readonly text: TextSource,
    private readonly spans: readonly PassageSpan[],
    private readonly pieceChars: number = PIECE_CHARS,
  ) {
    this.ids = Int32Array.of(bos);
  }

  /** Stream positions tokenized so far (BOS included). */
  get available(): number {
    return this.count;
  }

  get done(): boolean {
    return this.frontier >= this.text.length;
  }

  /** Share of the text tokenized, 0…1. */
  get fraction(): number {
    return this.text.length === 0 ? 1 : this.frontier / this.text.length;
  }

  /** The stream's length once it is all tokenized; an extrapolation from the part done before. */
  estimatedTotal(): number {
    if (this.done) return this.count;
    if (this.frontier === 0) return 1 + Math.ceil(this.text.utf8Bytes() / 4);
    return Math.max(this.count, Math.round(1 + ((this.count - 1) * this.text.length) / this.frontier));
  }

  /** Positions before `position` will not be asked for again: their ids can go. */
  release(position: number): void {
    this.keepFrom = Math.max(this.keepFrom, position);
  }

  /**
   * Tokenizes until position `need − 1` exists (or the text ends) and every passage with tokens
   * before `need` has its whole range known, calling `onPiece` after each piece.
   */
  ensure(need: number, onPiece?: () => void): void {
    while (!this.done && (this.count < need || (this.pendingStart !== null && this.pendingStart < need))) {
      this.tokenizePiece();
      onPiece?.();
    }
  }

  /** Id at stream position `position` (tokenized, not released). */
  id(position: number): number {
    return this.ids[position - this.base];
  }

  /** Ids of positions [from, to), clipped to what is tokenized; a view, valid until the next ensure. */
  window(from: number, to: number): Int32Array {
    return this.ids.subarray(from - this.base, Math.min(to, this.count) - this.base);
  }

  private tokenizePiece(): void {
    const from = this.frontier;
    const to = safeCutIn(this.text, from + this.pieceChars);
    const { ids, offsets } = this.tokenizer.encode(this.text.slice(from, to));
    const first = this.count;
    // Keep the ids from keepFrom on, then append the piece's.
    const keep = this.ids.subarray(Math.max(0, this.keepFrom - this.base), this.count - this.base);
    const next = new Int32Array(keep.length + ids.length);
    next.set(keep);
    next.set(ids, keep.length);
    this.base = this.count - keep.length;
    this.ids = next;
    this.count += ids.length;
    this.frontier = to;
    this.resolvePassages(from, offsets, first);
  }

  /**
   * Token ranges of the passages that start or end in the piece just tokenized: a character c
   * maps to the stream position of the first token starting at or after c (+1 for BOS), as
   * pooling.ts's passageTokenRanges does over the whole text.
   */
  private resolvePassages(pieceFrom: number, offsets: Int32Array, firstPosition: number): void {
    const positionOf = (char: number): number => firstPosition + firstIndexAtOrAfter(offsets.length, (i) => offsets[i] + pieceFrom, char);
    const last = this.done;
    while (this.nextSpan < this.spans.length) {
      const span = this.spans[this.nextSpan];
      // A character at the frontier maps to the next piece's first position, known already.
      if (this.pendingStart === null) {
        if (span.start > this.frontier && !last) return;
        this.pendingStart = positionOf(span.start);
      }
      if (span.end > this.frontier && !last) return;
      this.passages.push({ ordinal: span.ordinal, tokenStart: this.pendingStart, tokenEnd: positionOf(span.end) });
      this.pendingStart = null;
      this.nextSpan++;
    }
  }
}
