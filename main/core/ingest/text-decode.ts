// A text file's bytes to its normalised text a MiB at a time, reporting progress as it goes:
// a file of tens of MB otherwise spends seconds in calls with nothing to show (issue 18). Each
// piece is normalised up to its last line break and the rest carried into the next, so no CRLF
// pair and no character with its combining marks is split (NFC never composes across a break).
import { pieceDecoder, type EncodingGuess } from './encoding.js';

// Small enough that a loaded 2-core machine reports every few tenths of a second.
const PIECE_BYTES = 2 ** 20;

export function decodeNormalized(bytes: Uint8Array, guess: EncodingGuess, onProgress?: (bytesDone: number, bytesTotal: number) => void): string {
  const decode = pieceDecoder(guess.encoding);
  const body = bytes.subarray(guess.bomLength);
  const pieces: string[] = [];
  let carry = '';
  for (let from = 0; from < body.length || pieces.length === 0; from += PIECE_BYTES) {
    const last = from + PIECE_BYTES >= body.length;
    const text = carry + decode(body.subarray(from, from + PIECE_BYTES), last);
    const cut = last ? text.length : text.lastIndexOf('\n') + 1;
    pieces.push(normalizeText(text.slice(0, cut), pieces.every((p) => p.length === 0)));
    carry = text.slice(cut);
    // A file of one piece is done before anyone could read a progress line.
    if (body.length > PIECE_BYTES) onProgress?.(Math.min(bytes.length, guess.bomLength + from + PIECE_BYTES), bytes.length);
  }
  return pieces.join('');
}

/** `atStart`: the text begins the file, so a byte-order mark there is dropped. */
export function normalizeText(text: string, atStart = true): string {
  const unified = (atStart ? text.replace(/^\uFEFF/, '') : text).replace(/\r\n?/g, '\n').replace(/[\f\v\u2028\u2029]/g, '\n');
  return unified.normalize('NFC');
}

/**
 * A string equal to `text` that shares no memory with the string it was sliced from. V8 makes a
 * slice of 13 characters or more a view of its parent, so one short title or paragraph sliced
 * from a book's decoded text keeps all of it (100 MB for 50 MiB) alive (issue 18). The
 * concatenation is flattened into a string of its own, which the slice then views.
 */
export function detach(text: string): string {
  return text.length === 0 ? text : (' ' + text).slice(1);
}
