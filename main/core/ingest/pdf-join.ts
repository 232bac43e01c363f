// Joining text the way a reader would: pieces on one line (spaces from gaps, none between CJK
// characters, right-to-left lines in logical order) and lines within a paragraph (line-end
// hyphens removed from split words, kept in compounds).

export interface Piece {
  text: string;
  x0: number;
  x1: number;
  size: number;
  /** pdf.js put a space between this piece and the one to its left. */
  spaceBefore?: boolean;
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\u30fc\uff00-\uffef]/u;
const RTL = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}]/u;
const LTR = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}]/u;
const CJK_SPACE_CJK = new RegExp(`(${CJK.source}) +(?=${CJK.source})`, 'gu');
// A gap wider than this share of the font size is a word break even without a space from pdf.js.
const SPACE_GAP = 0.25;

export function isCjk(ch: string | undefined): boolean {
  return ch !== undefined && CJK.test(ch);
}

/** Removes spaces that sit between two CJK characters (they are layout, not text). */
export function closeCjkSpaces(text: string): string {
  return text.replace(CJK_SPACE_CJK, '$1');
}

function lastChar(text: string): string | undefined {
  const chars = Array.from(text);
  return chars[chars.length - 1];
}

function firstChar(text: string): string | undefined {
  return Array.from(text)[0];
}

function isRightToLeft(pieces: Piece[]): boolean {
  if (!pieces.some((p) => RTL.test(p.text))) return false;
  let rtl = 0;
  let ltr = 0;
  for (const p of pieces) {
    for (const ch of p.text) {
      if (RTL.test(ch)) rtl++;
      else if (LTR.test(ch)) ltr++;
    }
  }
  return rtl > ltr;
}

/** Joins pieces that sit side by side on one baseline, given in left-to-right order. */
export function joinAdjacent(pieces: Piece[]): string {
  if (pieces.length === 0) return '';
  const spaced: boolean[] = [false];
  for (let i = 1; i < pieces.length; i++) {
    const prev = pieces[i - 1];
    const cur = pieces[i];
    const gap = cur.x0 - prev.x1;
    spaced.push(cur.spaceBefore === true || gap > SPACE_GAP * Math.max(prev.size, cur.size));
  }
  const order = pieces.map((_, i) => i);
  if (isRightToLeft(pieces)) order.reverse();
  let out = '';
  order.forEach((index, k) => {
    const text = pieces[index].text;
    if (k > 0) {
      // The separator between two visual neighbours is stored on the right-hand one.
      const boundary = order[k - 1] < index ? index : order[k - 1];
      const left = lastChar(out);
      const right = firstChar(text);
      const already = /\s/.test(left ?? ' ') || /\s/.test(right ?? ' ');
      if (spaced[boundary] && !already && !(isCjk(left) && isCjk(right))) out += ' ';
    }
    out += text;
  });
  return composeAccents(closeCjkSpaces(out.replace(/\s+/g, ' ').trim()));
}

// TeX and some other producers draw an accent as its own spacing glyph just before the letter
// ("na¨ıve"); readers and search expect the composed letter ("naïve").
const SPACING_ACCENTS: Record<string, string> = {
  '\u00a8': '\u0308',
  '\u00b4': '\u0301',
  '\u02c6': '\u0302',
  '\u02dc': '\u0303',
  '\u00b8': '\u0327',
  '\u02c7': '\u030c',
  '\u02d8': '\u0306',
  '\u02da': '\u030a',
  '\u00af': '\u0304',
  '\u02d9': '\u0307',
};
const ACCENT_THEN_LETTER = /([\u00a8\u00b4\u02c6\u02dc\u00b8\u02c7\u02d8\u02da\u00af\u02d9])([a-zA-Z\u0131\u0237])/g;

export function composeAccents(text: string): string {
  return text.replace(ACCENT_THEN_LETTER, (_, accent: string, letter: string) => {
    const base = letter === '\u0131' ? 'i' : letter === '\u0237' ? 'j' : letter;
    return (base + SPACING_ACCENTS[accent]).normalize('NFC');
  });
}

const HYPHENATED_END = /\p{L}[-\u2010\u00ad]$/u;
const TRAILING_WORD = /[\p{L}\p{M}'’-]+$/u;
const LEADING_WORD = /^[\p{L}\p{M}]+/u;

/**
 * Joins two lines of one paragraph. A word split by a line-end hyphen is rejoined, unless the
 * document itself writes that word with a hyphen mid-line (`vocabulary` holds the lower-cased
 * words seen mid-line, hyphenated compounds included), the left part is already a compound,
 * or the right part starts with a capital.
 */
export function joinLines(a: string, b: string, vocabulary: ReadonlySet<string>): string {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  if (HYPHENATED_END.test(a)) {
    const head = a.slice(0, -1);
    if (a.endsWith('\u00ad')) return head + b;
    const left = TRAILING_WORD.exec(head)?.[0] ?? '';
    const right = LEADING_WORD.exec(b)?.[0] ?? '';
    if (right.length === 0 || right[0] !== right[0].toLowerCase() || left.includes('-')) return a + b;
    const joined = (left + right).toLowerCase();
    const compound = `${left}-${right}`.toLowerCase();
    if (vocabulary.has(compound) && !vocabulary.has(joined)) return a + b;
    return head + b;
  }
  // "152-" + "layer": a hyphen after a digit joins a compound, never splits a word.
  if (/\p{N}[-\u2010]$/u.test(a)) return a + b;
  const left = lastChar(a);
  const right = firstChar(b);
  if (isCjk(left) && isCjk(right)) return a + b;
  if (/\s/.test(left ?? '')) return a + b;
  return `${a} ${b}`;
}

/** Adds the words of one line to the vocabulary used by joinLines. */
export function collectWords(line: string, vocabulary: Set<string>): void {
  const words = line.match(/\p{L}+(?:-\p{L}+)*/gu);
  if (!words) return;
  // The last word of a hyphenated line is only half a word.
  const count = HYPHENATED_END.test(line) ? words.length - 1 : words.length;
  for (let i = 0; i < count; i++) vocabulary.add(words[i].toLowerCase());
}

const SENTENCE_END = /[.!?:;。！？：；…]["'”’)\]」』]*$/u;

export function endsSentence(text: string): boolean {
  return SENTENCE_END.test(text);
}

const BULLET = /^[•◦▪‣∙●○■□➢►✓✗*]\s?/u;

export function startsWithBullet(text: string): boolean {
  return BULLET.test(text);
}
