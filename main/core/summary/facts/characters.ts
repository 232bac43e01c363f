// The people of a novel or a book, by how often they are named, each cited where they first
// appear; and its chapter list.
//
// English: a name is a capitalised word that is not the first word of a sentence or of a
// quotation, that the document rarely writes in lower case, and that acts like a person at
// least twice: after a title (Mr., Mrs., Miss, Lady, Sir, Dr., Captain …) or beside a speech
// verb ("said Elizabeth", "Holmes answered"). Places and months fail the last test.
// Chinese: no capitals and no spaces, so names are frequent 2–3 character strings that the
// text uses as the subject of speech and action (宝玉道, 黛玉笑, 贾母听了), with no function
// characters in them; a pair that only ever occurs inside one longer name gives way to it.
import type { SummaryFact } from '../../../../common/types.js';
import type { SummaryContext } from '../context.js';
import { spanFact } from './cited.js';

export const MAX_CHARACTERS = 8;
/** Fewer mentions than this is a passing reference, not a character (a manual quoting Bacon twice). */
const MIN_MENTIONS = 5;
const MAX_CHAPTERS = 100;

const TITLES = /^(?:Mr|Mrs|Ms|Miss|Lady|Lord|Sir|Dr|Doctor|Captain|Colonel|Major|General|Professor|Prof|Aunt|Uncle|Madame|Monsieur|Father|Mother|King|Queen|Prince|Princess|Count|Countess)\.?$/;
const SPEECH = /^(?:said|says|cried|replied|answered|asked|exclaimed|whispered|continued|added|observed|remarked|returned|thought)$/;
/** Capitalised words that are never names however they are used. */
const NEVER = new Set(
  'I The A An And But Or If In On At To Of For By With From As It He She They We You His Her Their Our My Your This That These Those There Then When What Who Why How Yes No Oh Ah Well Chapter Book Part Volume God Heaven English French Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September October November December'.split(
    ' ',
  ),
);

interface Mention {
  /** Every capitalised occurrence, sentence-initial ones included. */
  count: number;
  /** Occurrences that are not sentence-initial: the evidence that the word is a name. */
  inner: number;
  personLike: number;
  /** The capitalised word that most often follows it, and how often ("Sherlock" → "Holmes"). */
  next: Map<string, number>;
  /** First occurrence: the word's offsets and its sentence's. */
  first: { start: number; end: number; sentenceStart: number; sentenceEnd: number } | null;
}

export function characterFacts(ctx: SummaryContext, chinese: boolean): SummaryFact[] {
  return chinese ? chineseNames(ctx) : englishNames(ctx);
}

/**
 * Where the story starts: the first chapter heading, when the document has chapters, so that an
 * editor's preface does not become every character's first appearance.
 */
function storyStart(ctx: SummaryContext): number {
  const chapter = ctx.structure.sections.find((s) => s.heading !== null && CHAPTER_HEADING.test(s.heading.trim()));
  return chapter === undefined ? 0 : ctx.doc.blocks[chapter.headingBlock].start;
}

function englishNames(ctx: SummaryContext): SummaryFact[] {
  const { doc } = ctx;
  const from = storyStart(ctx);
  const mentions = new Map<string, Mention>();
  const lower = new Map<string, number>();
  for (const s of ctx.sentences) {
    if (s.apparatus || s.table || s.start < from) continue;
    const text = doc.text.slice(s.start, s.end);
    const words = [...text.matchAll(/[\p{L}][\p{L}'’-]*\.?/gu)];
    words.forEach((m, k) => {
      const raw = m[0].replace(/[.'’-]+$/, '').replace(/['’]s$/, '');
      if (!/^\p{Lu}\p{Ll}/u.test(raw)) {
        if (/^\p{Ll}/u.test(raw)) lower.set(raw, (lower.get(raw) ?? 0) + 1);
        return;
      }
      if (NEVER.has(raw) || TITLES.test(raw) || raw.length < 3) return;
      let entry = mentions.get(raw);
      if (entry === undefined) {
        entry = { count: 0, inner: 0, personLike: 0, next: new Map(), first: null };
        mentions.set(raw, entry);
      }
      entry.count++;
      if (entry.first === null) entry.first = { start: s.start + m.index, end: s.start + m.index + raw.length, sentenceStart: s.start, sentenceEnd: s.end };
      const following = words[k + 1]?.[0].replace(/[.'’-]+$/, '').replace(/['’]s$/, '') ?? '';
      if (/^\p{Lu}\p{Ll}/u.test(following) && text.slice(m.index + m[0].length, words[k + 1].index).trim() === '') {
        entry.next.set(following, (entry.next.get(following) ?? 0) + 1);
      }
      // First word of the sentence, or of a quotation inside it: capitalised whatever it is.
      const before = text.slice(Math.max(0, m.index - 2), m.index);
      const prev = words[k - 1]?.[0] ?? '';
      // ("Mr. Darcy": the period ends a title, not a sentence.)
      if (k === 0 || /[“"‘(]\s*$/.test(before) || (/[.!?]\s*$/.test(before) && !TITLES.test(prev))) return;
      entry.inner++;
      if (TITLES.test(prev) || SPEECH.test(prev.replace(/\.$/, '')) || SPEECH.test(following)) entry.personLike++;
    });
  }
  const isName = (word: string, m: Mention): boolean =>
    m.count >= MIN_MENTIONS &&
    m.personLike >= 2 && m.inner >= 0.5 * m.count && (lower.get(word.toLowerCase()) ?? 0) < 0.2 * m.count;
  const names = [...mentions.entries()].filter(([word, m]) => isName(word, m) && m.first !== null);
  const named = new Map(names);
  const kept = names
    // A first name nearly always followed by one surname is that person ("Sherlock" → "Holmes").
    .filter(([, m]) => ![...m.next.entries()].some(([b, c]) => named.has(b) && c >= 0.7 * m.count))
    .sort((a, b) => b[1].count - a[1].count)
    .slice(0, MAX_CHARACTERS);
  return kept.map(([, m]) => {
    const f = m.first as NonNullable<Mention['first']>;
    return spanFact(ctx, 'character', `Character (${m.count.toLocaleString('en-US')} mentions)`, f.start, f.end, f.sentenceStart, f.sentenceEnd);
  });
}

/** Characters that never belong to a name: particles, pronouns, common verbs and adverbs. */
const FUNCTION_CHARS = new Set([...'的了是在不一这那之也和与就都而及着个么们你我他她它说道笑便又只将把被向对从所以如何怎没有来去上下中里到见听看问叫让给些此其者乃却才已要可']);
/** Forms of address and kinship that the text uses like names but that name no one in particular. */
const NOT_NAMES = new Set('太太 老爷 姑娘 奶奶 丫头 丫鬟 姐姐 妹妹 哥哥 弟弟 嫂子 妈妈 先生 大人 夫人 小姐 公子 老太 婆子 众人 二人 两人 大家 自己 如今 今日 小厮 媳妇 姊妹 兄弟 父亲 母亲 女儿 儿子 孩子 老婆 陛下 娘娘 和尚 道人 姑娘们'.split(' '));
const ACTION_AFTER = /^[道说笑听看问叫忙便又也因方只见走来去答哭叹想]/;
const MIN_NAME_COUNT = 8;

function chineseNames(ctx: SummaryContext): SummaryFact[] {
  const { doc } = ctx;
  const counts = new Map<string, number>();
  const acting = new Map<string, number>();
  const first = new Map<string, { at: number; sentence: number }>();
  const from = storyStart(ctx);
  for (const s of ctx.sentences) {
    if (s.apparatus || s.table || s.start < from) continue;
    const text = doc.text.slice(s.start, s.end);
    for (const run of text.matchAll(/\p{Script=Han}+/gu)) {
      const chars = run[0];
      for (let n = 2; n <= 3; n++) {
        for (let i = 0; i + n <= chars.length; i++) {
          const gram = chars.slice(i, i + n);
          if ([...gram].some((c) => FUNCTION_CHARS.has(c))) continue;
          counts.set(gram, (counts.get(gram) ?? 0) + 1);
          if (ACTION_AFTER.test(chars.slice(i + n, i + n + 1))) acting.set(gram, (acting.get(gram) ?? 0) + 1);
          if (!first.has(gram)) first.set(gram, { at: s.start + run.index + i, sentence: s.index });
        }
      }
    }
  }
  const candidates = [...counts.entries()].filter(([g, c]) => first.has(g) && !NOT_NAMES.has(g) && ![...NOT_NAMES].some((t) => t.length === 2 && g.length === 3 && g.endsWith(t) && g[0] === '老') && c >= MIN_NAME_COUNT && (acting.get(g) ?? 0) >= Math.max(3, 0.1 * c));
  const kept = new Map(candidates);
  for (const [g, c] of candidates) {
    if (g.length !== 2) continue;
    // A pair that is nearly always part of one longer candidate is that name's fragment.
    for (const [h, d] of candidates) if (h.length === 3 && h.includes(g) && d >= 0.7 * c) kept.delete(g);
  }
  for (const [g, c] of candidates) {
    if (g.length !== 3 || !kept.has(g)) continue;
    // A triple that adds one character of context to a much more frequent pair is not a name.
    const inner = [g.slice(0, 2), g.slice(1)].map((p) => counts.get(p) ?? 0);
    if (Math.max(...inner) > 2.5 * c && [g.slice(0, 2), g.slice(1)].some((p) => kept.has(p))) kept.delete(g);
  }
  return [...kept.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_CHARACTERS)
    .map(([g, c]) => {
      const f = first.get(g) as { at: number; sentence: number };
      const s = ctx.sentences[f.sentence];
      return spanFact(ctx, 'character', `人物（出现 ${c} 次）`, f.at, f.at + g.length, s.start, s.end);
    });
}

const CHAPTER_HEADING = /^(?:chapter|book|part|letter|stave)\s+(?:[\dIVXLC]+|[a-z]+)\b|^[IVXLC]+\.\s|^第[一二三四五六七八九十百千零〇两\d]+[回章卷节]/i;

/** The chapter headings (or, without any, the document's top-level headings), each cited. */
export function chapterFacts(ctx: SummaryContext, chinese: boolean): SummaryFact[] {
  const headings = ctx.structure.sections.filter((s) => s.headingBlock >= 0);
  let chapters = headings.filter((s) => CHAPTER_HEADING.test((s.heading ?? '').trim()));
  if (chapters.length < 2) {
    const top = Math.min(...headings.map((s) => s.level));
    chapters = headings.filter((s) => s.level === top);
  }
  return chapters.slice(0, MAX_CHAPTERS).map((s) => {
    const b = ctx.doc.blocks[s.headingBlock];
    return spanFact(ctx, 'chapter', chinese ? '章回' : 'Chapter', b.start, b.end, b.start, b.end);
  });
}
