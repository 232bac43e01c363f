// Chinese words through jieba (@node-rs/jieba, a maintained binding of the Rust port): the
// dictionary takes about a second to load, so it is loaded on the first Chinese text and kept.
import { createRequire } from 'node:module';

interface Segmenter {
  cut(text: string, hmm?: boolean): string[];
  tag(text: string, hmm?: boolean): Array<{ word: string; tag: string }>;
}

const require = createRequire(import.meta.url);
let segmenter: Segmenter | null = null;

function load(): Segmenter {
  if (segmenter === null) {
    const { Jieba } = require('@node-rs/jieba') as { Jieba: { withDict(dict: Uint8Array): Segmenter } };
    const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
    segmenter = Jieba.withDict(dict);
  }
  return segmenter;
}

/** jieba's words of a run of Chinese text, in order (HMM on, so unknown words are guessed too). */
export function chineseWords(text: string): string[] {
  return load().cut(text, true);
}

/** jieba's words with their part of speech ("nr" a person's name, "x" a word its dictionary lacks). */
export function chineseTagged(text: string): Array<{ word: string; tag: string }> {
  return load().tag(text, true);
}
