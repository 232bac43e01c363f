// What every tokenizer gives and is: its own module, so bpe.ts and tokenizer.ts (which picks
// between the byte and BPE tokenizers) both depend on it and not on each other.

export interface Encoding {
  ids: Int32Array;
  /** Char offset (UTF-16 index into the text) where each token starts. */
  offsets: Int32Array;
}

export interface Tokenizer {
  /**
   * `lead` (default 0) free slots come before the ids, for the caller to fill (the reader puts
   * BOS there), so a book's token stream is built without a second copy: ids.length is lead +
   * the tokens, offsets.length the tokens.
   */
  encode(text: string, lead?: number): Encoding;
  decode(ids: ArrayLike<number>): string;
  vocabSize: number;
  /** UTF-8 bytes a token stands for (0 for specials): the denominator of bits per byte. */
  tokenBytes(id: number): number;
}
