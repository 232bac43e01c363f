// The reader tokenizes a document a piece at a time (issue 18): the pieces must give exactly the
// tokens and passage token ranges of the whole text, for English and Chinese books and for the
// whitespace the pre-tokenizer treats specially. Real tokenizers: lectern-mamba2-7m-v6's BPE and
// the random model's bytes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { textToDocument } from '../../main/core/ingest/text.js';
import { loadManifest } from '../../main/core/model/manifest.js';
import { loadTokenizer, type Tokenizer } from '../../main/core/model/tokenizer/tokenizer.js';
import { DocumentTokens, safeCut, stringSource } from '../../main/core/reading/document-tokens.js';
import { passageTokenRanges, type PassageTokens } from '../../main/core/reading/pooling.js';
import { makePassages } from '../../main/core/text/passages.js';
import { byteModelDir, fixture, repoRoot } from '../support/fixtures.js';

const bpeDir = join(repoRoot, 'models', 'lectern-mamba2-7m-v6');
const tokenizers: [string, Tokenizer][] = [
  ['BPE', loadTokenizer(bpeDir, loadManifest(bpeDir))],
  ['bytes', loadTokenizer(byteModelDir, loadManifest(byteModelDir))],
];
const BOS = 1;

/** The whole text at once, as the reader did before. */
function whole(tokenizer: Tokenizer, text: string, spans: { ordinal: number; start: number; end: number }[]): { ids: number[]; passages: PassageTokens[] } {
  const { ids, offsets } = tokenizer.encode(text, 1);
  ids[0] = BOS;
  return { ids: Array.from(ids), passages: passageTokenRanges(spans, offsets) };
}

/** Piece by piece, releasing what was read, as the reader does now. */
function pieces(tokenizer: Tokenizer, text: string, spans: { ordinal: number; start: number; end: number }[], pieceChars: number): { ids: number[]; passages: PassageTokens[]; pieces: number } {
  const tokens = new DocumentTokens(tokenizer, BOS, stringSource(text), spans, pieceChars);
  const ids: number[] = [];
  let count = 0;
  for (let pos = 0; !tokens.done || pos < tokens.available; ) {
    tokens.ensure(pos + 101, () => count++);
    const to = Math.min(pos + 100, tokens.available);
    for (let s = pos; s < to; s++) ids.push(tokens.id(s));
    pos = to;
    tokens.release(pos);
  }
  return { ids, passages: tokens.passages, pieces: count };
}

const books: [string, string][] = [
  ['Pride and Prejudice', 'novels/pride_and_prejudice.txt'],
  ['Hongloumeng (Chinese)', 'zh/hongloumeng-ch001-010.md'],
  ['Civil Code (Chinese)', 'zh/civil-code-contracts-zh.md'],
  ['MPL-2.0', 'licenses/MPL-2.0.txt'],
];

describe('DocumentTokens', () => {
  for (const [name, tokenizer] of tokenizers) {
    it.each(books)(`${name}: %s in pieces gives the whole text's tokens and passage ranges`, (_title, path) => {
      const doc = textToDocument(readFileSync(fixture(path), 'utf8'), path.endsWith('.md') ? 'md' : 'txt');
      // A few hundred KB of text at most, so the test stays quick: cut where a piece would end.
      const text = doc.text.slice(0, safeCut(doc.text, 300_000));
      const spans = makePassages({ ...doc, text, blocks: doc.blocks.filter((b) => b.end <= text.length) }).map(({ ordinal, start, end }) => ({ ordinal, start, end }));
      const expected = whole(tokenizer, text, spans);
      const got = pieces(tokenizer, text, spans, 2_000);
      // Chinese has few places to cut (whitespace after text): pieces run longer there.
      expect(got.pieces).toBeGreaterThan(3);
      expect(got.ids.length).toBe(expected.ids.length);
      expect(got.ids).toEqual(expected.ids);
      expect(got.passages).toEqual(expected.passages);
    });

    it(`${name}: cuts next to every kind of whitespace keep the tokens`, () => {
      const text = [
        "It's   the end.\n\n\nNext  \t line's\u00a0here\u3000全角空格\u0085NEL  ",
        'tab\tafter\r\nCRLF\u2028LS <bos> special <eos>  two\u2003ems\n',
        '数字123 and 4,567.89 — “quoted” (paren) \ud83d\ude00 emoji \n\n  indented',
      ]
        .join('')
        .repeat(40);
      const spans = [{ ordinal: 0, start: 0, end: text.length }];
      for (const size of [1, 2, 3, 7, 50]) {
        expect(pieces(tokenizer, text, spans, size).ids).toEqual(whole(tokenizer, text, spans).ids);
      }
    });
  }

  it('estimates the stream length before it has tokenized anything, and knows it at the end', () => {
    const [, tokenizer] = tokenizers[0];
    const text = textToDocument(readFileSync(fixture('novels/pride_and_prejudice.txt'), 'utf8'), 'txt').text;
    const tokens = new DocumentTokens(tokenizer, BOS, stringSource(text), [], 50_000);
    const guess = tokens.estimatedTotal();
    tokens.ensure(Infinity);
    expect(tokens.available).toBe(tokenizer.encode(text, 1).ids.length);
    expect(Math.abs(guess - tokens.available) / tokens.available).toBeLessThan(0.3);
    expect(tokens.estimatedTotal()).toBe(tokens.available);
  });
});
