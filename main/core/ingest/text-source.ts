// A text file read a piece at a time (issue 18): its bytes from a file descriptor or from memory,
// decoded and normalised a MiB at a time, and cut into lines, so that a file of hundreds of MB
// is never held whole. Each decoded piece is normalised up to its last line break and the rest
// carried into the next, so no CRLF pair and no character with its combining marks is split (NFC
// never composes across a break), and a character whose bytes straddle two reads is decoded whole.
import { readSync } from 'node:fs';
import { rejections } from '../errors.js';
import { pieceDecoder, SAMPLE_BYTES, type EncodingGuess } from './encoding.js';
import { normalizeText } from './text-decode.js';

/** Bytes read by position, synchronously: ingestion writes into one transaction as it reads. */
export interface ByteSource {
  readonly size: number;
  /** The bytes, valid until the next read (a file's source reuses one buffer). */
  read(position: number, length: number): Uint8Array;
}

export function bytesSource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: (position, length) => bytes.subarray(position, position + length) };
}

/**
 * An open file of a known size; a file that shrinks while it is read is refused. One buffer serves
 * every read: a fresh MiB each time piled up outside V8's heap until a collection came (hashing a
 * 200 MiB file that was stored already peaked at 544 MB, 2026-12-05).
 */
export function fileSource(fd: number, size: number): ByteSource {
  let reused = new Uint8Array(0);
  return {
    size,
    read: (position, length) => {
      const wanted = Math.max(0, Math.min(length, size - position));
      if (reused.length < wanted) reused = new Uint8Array(wanted);
      const buffer = reused.subarray(0, wanted);
      for (let done = 0; done < buffer.length; ) {
        const n = readSync(fd, buffer, done, buffer.length - done, position + done);
        if (n === 0) throw rejections.corrupt('the file shrank while it was read');
        done += n;
      }
      return buffer;
    },
  };
}

/** What the encoding guess and format detection look at: the sample and one byte past it. */
export function head(source: ByteSource): Uint8Array {
  return source.read(0, Math.min(source.size, SAMPLE_BYTES + 4 + 1));
}

/** Small enough that a loaded 2-core machine reports every few tenths of a second. */
export const PIECE_BYTES = 2 ** 20;

/**
 * The file's normalised text in pieces, each but the last ending just after a line break.
 * `onBytes` is told how many of the file's bytes are done after each piece.
 */
export function* normalizedPieces(source: ByteSource, guess: EncodingGuess, pieceBytes = PIECE_BYTES, onBytes?: (done: number) => void): Generator<string> {
  const decode = pieceDecoder(guess.encoding);
  let carry = '';
  let atStart = true;
  const end = source.size;
  for (let from = guess.bomLength; from < end || atStart; from += pieceBytes) {
    const last = from + pieceBytes >= end;
    const text = carry + decode(source.read(from, Math.min(pieceBytes, Math.max(0, end - from))), last);
    const cut = last ? text.length : lineBreakEnd(text);
    const piece = normalizeText(text.slice(0, cut), atStart);
    if (piece.length > 0) atStart = false;
    carry = text.slice(cut);
    onBytes?.(Math.min(end, from + pieceBytes));
    yield piece;
    if (last) break;
  }
}

/**
 * Just past the last line break that is certainly whole: a CR at the very end may be the first
 * half of a CRLF, so it waits for the next piece.
 */
function lineBreakEnd(text: string): number {
  const lf = text.lastIndexOf('\n');
  // (lastIndexOf treats a negative start as 0, which would find a CR at the very end.)
  const cr = text.length < 2 ? -1 : text.lastIndexOf('\r', text.length - 2);
  return Math.max(lf, cr) + 1;
}

/** A line of the normalised text (without its '\n') and its index among all lines. */
export interface Line {
  text: string;
  index: number;
}

/** The lines of text given in pieces, as `text.split('\n')` would give them, one at a time. */
export function* linesOf(pieces: Iterable<string>): Generator<Line> {
  let partial = '';
  let index = 0;
  for (const piece of pieces) {
    let from = 0;
    for (let nl = piece.indexOf('\n'); nl >= 0; nl = piece.indexOf('\n', from)) {
      yield { text: partial + piece.slice(from, nl), index: index++ };
      partial = '';
      from = nl + 1;
    }
    partial += piece.slice(from);
  }
  yield { text: partial, index };
}

/** The whole file's normalised text (Markdown, which is parsed whole). */
export function decodeNormalized(bytes: Uint8Array, guess: EncodingGuess, onProgress?: (bytesDone: number, bytesTotal: number) => void): string {
  const report = bytes.length - guess.bomLength > PIECE_BYTES ? (done: number) => onProgress?.(done, bytes.length) : undefined;
  return [...normalizedPieces(bytesSource(bytes), guess, PIECE_BYTES, report)].join('');
}
