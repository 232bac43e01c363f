// The content terms of a sentence, the units the summary compares sentences by: English words
// lower-cased, stop words dropped and plural/verb endings folded (a light stemmer: "models" and
// "model" must count as one concept, and a full Porter stemmer buys little over this on whole
// sentences); Chinese as overlapping character bigrams (the same units the search index uses,
// text/cjk.ts), since no word segmenter ships with Lectern.
import { CJK_SCRIPTS, runBigrams } from '../text/cjk.js';

const TOKEN = new RegExp(`[${CJK_SCRIPTS}]+|[\\p{L}\\p{N}][\\p{L}\\p{N}'’-]*`, 'gu');
const CJK_START = new RegExp(`^[${CJK_SCRIPTS}]`, 'u');

/** English function words, and words common to every genre that say nothing about content. */
export const STOP_WORDS = new Set(
  (
    'a about above after again against all almost also although always am among an and another any are ' +
    'around as at be because been before being below between both but by can cannot could did do does ' +
    'doing done down during each either else even ever every few for from further had has have having he ' +
    'her here hers herself him himself his how however i if in into is it its itself just least less let ' +
    'like made make many may me might more most much must my myself neither no nor not now of off on once ' +
    'one only or other others otherwise our ours ourselves out over own per perhaps put quite rather same ' +
    'shall she should since so some such than that the their theirs them themselves then there therefore ' +
    'these they this those though through thus to too under until up upon us use used using very via was ' +
    'we well were what whatever when where whether which while who whom whose why will with within without ' +
    'would yet you your yours yourself yourselves said says say see seen two three first second new also ' +
    'thing things way ways get got go went come came know knew think thought well still yes oh mr mrs miss ' +
    'de la le et al eg ie etc'
  ).split(' '),
);

/** Folds the commonest English inflections so that word forms meet; leaves short words alone. */
export function stem(word: string): string {
  if (word.length <= 4) return word;
  if (word.endsWith('ies') && word.length > 5) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ing') && word.length > 6) return word.slice(0, -3);
  if (word.endsWith('ed') && word.length > 5) return word.slice(0, -2);
  if (word.endsWith('es') && /(?:ch|sh|x|z)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is')) return word.slice(0, -1);
  return word;
}

/** The sentence's content terms in order (repeats kept, so callers can count them). */
export function contentTerms(text: string): string[] {
  const out: string[] = [];
  for (const m of text.normalize('NFKC').matchAll(TOKEN)) {
    const token = m[0];
    if (CJK_START.test(token)) {
      if (token.length >= 2) out.push(...runBigrams(token));
      continue;
    }
    const word = token.toLowerCase().replace(/['’-]+$/, '');
    // Numbers alone (page numbers, equation labels) and single letters (glyph soup) are not content.
    if (word.length < 2 || /^[\d.,'’-]+$/.test(word) || STOP_WORDS.has(word)) continue;
    out.push(stem(word));
  }
  return out;
}
