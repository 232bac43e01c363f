// Every sentence of the document with its place (block, section) and content terms, and which
// of them the overview and the outline may choose from: prose of a reasonable length, outside
// apparatus sections, not junk (boilerplate.ts).
import type { Document } from '../document.js';
import { wordUnits } from '../text/cjk.js';
import { splitSentences } from '../text/sentences.js';
import { isApparatusHeading, isFootnoteBlock, junkReason } from './boilerplate.js';
import type { Structure } from './structure.js';
import { contentTerms } from './terms.js';

export interface Sentence {
  /** Position in the document's sentence list. */
  index: number;
  start: number;
  end: number;
  block: number;
  section: number;
  /** Size in words (a CJK character is half a word, text/cjk.ts). */
  units: number;
  /** In a table block (a row of one). */
  table: boolean;
  /** In an apparatus section (contents, references, licence: boilerplate.ts). */
  apparatus: boolean;
  /** Not prose (boilerplate.ts junkReason), or part of a footnote. */
  junk: boolean;
  /** Whether the overview and outline may quote it. */
  eligible: boolean;
}

/** Bounds in words: shorter says too little out of context, longer is a run-on or a broken layout. */
export const MIN_UNITS = 6;
export const MAX_UNITS = 60;
/** The looser bounds for a document with too few eligible sentences (a one-page NDA). */
const RELAXED_MIN_UNITS = 3;
const RELAXED_MAX_UNITS = 120;
const MIN_OVERVIEW = 5;

export interface SentenceOptions {
  /** Blocks whose sentences may not be chosen (the evaluation excludes a paper's abstract). */
  excludeBlock?: (block: number) => boolean;
  /**
   * Keep quoted speech out (novels): a line of dialogue out of its scene says little about the
   * story. Ignored when it would leave fewer than DIALOGUE_FREE_MIN sentences.
   */
  dropDialogue?: boolean;
}

const DIALOGUE = /[“”"「」『』]/;
const DIALOGUE_FREE_MIN = 50;

export function sentencesOf(structure: Structure, options: SentenceOptions = {}): Sentence[] {
  const { doc } = structure;
  const apparatus = structure.sections.map((s) => s.heading !== null && isApparatusHeading(s.heading));
  const out: Sentence[] = [];
  const looseOk: boolean[] = [];
  // The last resort of a document that is mostly a table (a contract's cover page): rows and
  // unterminated lines too, when even the looser bounds leave fewer than MIN_OVERVIEW.
  const lastResort: boolean[] = [];
  doc.blocks.forEach((block, b) => {
    if (block.kind === 'heading') return;
    const section = structure.blockSection[b];
    // Table rows are separate statements ("Governing Law | The laws of …"), never one sentence.
    const pieces = block.kind === 'table' ? lineSpans(block.text) : splitSentences(block.text);
    const footnote = block.kind !== 'table' && isFootnoteBlock(block.text);
    for (const span of pieces) {
      const start = block.start + span.start;
      const end = block.start + span.end;
      const text = doc.text.slice(start, end);
      const units = wordUnits(text);
      const reason = junkReason(text);
      const junk = footnote || reason !== null;
      const prose = block.kind !== 'table' && !apparatus[section] && !(options.excludeBlock?.(b) ?? false) && !junk;
      out.push({
        index: out.length,
        start,
        end,
        block: b,
        section,
        units,
        table: block.kind === 'table',
        apparatus: apparatus[section],
        junk,
        eligible: prose && units >= MIN_UNITS && units <= MAX_UNITS,
      });
      looseOk.push(prose && units >= RELAXED_MIN_UNITS && units <= RELAXED_MAX_UNITS);
      lastResort.push(
        !apparatus[section] && !(options.excludeBlock?.(b) ?? false) && !footnote && (reason === null || reason === 'unterminated' || reason === 'capitals') &&
          units >= RELAXED_MIN_UNITS && units <= RELAXED_MAX_UNITS,
      );
    }
  });
  if (out.filter((s) => s.eligible).length < MIN_OVERVIEW) out.forEach((s, i) => (s.eligible = looseOk[i]));
  if (out.filter((s) => s.eligible).length < MIN_OVERVIEW) out.forEach((s, i) => (s.eligible = lastResort[i]));
  if (options.dropDialogue) {
    const speech = out.map((s) => s.eligible && DIALOGUE.test(doc.text.slice(s.start, s.end)));
    const left = out.filter((s, i) => s.eligible && !speech[i]).length;
    if (left >= DIALOGUE_FREE_MIN) out.forEach((s, i) => (s.eligible = s.eligible && !speech[i]));
  }
  return out;
}

function lineSpans(text: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  for (const m of text.matchAll(/[^\n]+/g)) {
    const lead = m[0].length - m[0].trimStart().length;
    const trimmed = m[0].trim();
    if (trimmed.length > 0) spans.push({ start: m.index + lead, end: m.index + lead + trimmed.length });
  }
  return spans;
}

/** Each sentence's content terms, computed once for all the summary's parts. */
export function termsOf(doc: Document, sentences: Sentence[]): string[][] {
  return sentences.map((s) => contentTerms(doc.text.slice(s.start, s.end)));
}
