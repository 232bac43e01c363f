// What a summary must not quote: whole sections that are apparatus rather than content (tables
// of contents, reference lists, acknowledgements, licences, an e-book's front matter), and
// sentences that are not prose (glyph soup from equations, figure and table captions, author
// lines, e-mail addresses, shouting headers, fragments of a paragraph broken by a figure).
import { CJK_SCRIPTS } from '../text/cjk.js';

const APPARATUS_HEADING =
  /^(?:\d+(?:\.\d+)*\.?\s+)?(?:(?:table of )?contents|references|bibliography|works cited|literature cited|acknowledge?ments?|index|notes|endnotes|footnotes|about the authors?|copyright|licen[cs]e|cover|colophon|also by .*|list of (?:figures|tables)|目\s*录|参考文献|致\s*谢|索\s*引|版权.*)\.?$/i;

/** A heading whose section is apparatus: never a source of overview or outline sentences. */
export function isApparatusHeading(heading: string): boolean {
  return APPARATUS_HEADING.test(heading.replace(/\s+/g, ' ').trim());
}

const LICENCE_OR_FRONT_MATTER =
  /project gutenberg|gutenberg\.org|this e-?book|creative commons|all rights reserved|licensed under|copyright ©|©\s*\d{4}|isbn[\s:-]*\d|library of congress|printed in the united states|\bspdx\b|permission (?:is|to) (?:hereby )?grant|provided proper attribution/i;
const CAPTION = /^(?:figure|fig\.|table|tab\.|algorithm|listing|equation|eq\.|图|表)\s*[\dIVX]+[.:：]?/i;
/** An entry of a reference list that no heading announced (a paper's bibliography after its conclusion). */
const REFERENCE_ENTRY =
  /\barXiv(?: preprint)?\b|\bIn Proceedings\b|\bProc\.|\bpp\.\s*\d|\bpages\s+\d+\s*[-–]\s*\d+|\bvol\.\s*\d|\bdoi:|\bJournal of\b|\bConference on\b|\bTransactions on\b|^\[\d+\]\s|^\p{Lu}[\p{L}-]+,\s+(?:\p{Lu}\.\s*)+(?:,|and\b)/u;
const CONTACT = /\S+@\S+\.\w|https?:\/\/|www\./i;
const FOOTNOTE_START = /^(?:\d+\s?[A-Z]|[∗*†‡§¶])/;
const CJK = new RegExp(`[${CJK_SCRIPTS}]`, 'gu');
const TERMINATED = /[.!?…。！？；;:：]["'”’」』)）\]]*$/u;

/** A block that is a footnote ("∗Equal contribution. …", "4To illustrate …"): every sentence of it. */
export function isFootnoteBlock(text: string): boolean {
  return /^(?:\d{1,2}\s?\p{Lu}\p{Ll}|[∗*†‡§¶])/u.test(text);
}

export function isLicenceOrFrontMatter(text: string): boolean {
  return LICENCE_OR_FRONT_MATTER.test(text);
}

/**
 * Why a sentence is not prose a summary could quote, or null when it is. Runs on every
 * sentence of the document, so it is a handful of regular expressions and one pass of counting.
 */
export function junkReason(text: string): string | null {
  if (CAPTION.test(text)) return 'caption';
  if (CONTACT.test(text)) return 'contact';
  if (REFERENCE_ENTRY.test(text)) return 'reference';
  if (isLicenceOrFrontMatter(text)) return 'licence';
  if (!TERMINATED.test(text)) return 'unterminated';
  const cjk = text.match(CJK)?.length ?? 0;
  if (cjk > 0.3 * text.length) return null;
  if (/^\p{Ll}/u.test(text)) return 'fragment';
  if (FOOTNOTE_START.test(text)) return 'footnote';
  if (/^\[?illustration/i.test(text)) return 'illustration';
  let letters = 0;
  let upper = 0;
  let visible = 0;
  for (const ch of text) {
    if (/\s/.test(ch)) continue;
    visible++;
    if (/\p{L}/u.test(ch)) {
      letters++;
      if (/\p{Lu}/u.test(ch)) upper++;
    }
  }
  if (letters < 0.7 * visible) return 'symbols';
  if (letters > 12 && upper > 0.5 * letters) return 'capitals';
  const tokens = text.split(/\s+/);
  const single = tokens.filter((t) => /^\p{L}$/u.test(t)).length;
  if (single > 3 && single > 0.2 * tokens.length) return 'glyph-soup';
  return null;
}
