// Passages: the units that are indexed, retrieved, re-read by the model and cited. About
// 150–300 words (300–600 characters of Chinese), cut at sentence boundaries, never across a
// heading, so that a hit carries enough context to answer from and a citation names its section.
import type { Block, Document } from '../document.js';
import { CJK_SCRIPTS, wordUnits } from './cjk.js';
import { Locator, layoutOf } from './locate.js';
import { splitSentences } from './sentences.js';

export interface Passage {
  /** 0-based position of the passage in the document. */
  ordinal: number;
  /** Offsets into Document.text: text === doc.text.slice(start, end). */
  start: number;
  end: number;
  /** Page of the passage's first character (null for formats without pages). */
  page: number | null;
  /** Text of the heading the passage falls under; null before the first heading. */
  section: string | null;
  text: string;
}

export interface PassageOptions {
  /** Size bounds in words; a CJK character counts as half a word (see wordUnits). */
  minWords?: number;
  maxWords?: number;
  /** Sections done of all, now and then (a book of tens of MB takes seconds). */
  onProgress?: (sectionsDone: number, sectionsTotal: number) => void;
}

/** A sentence (or a clause of an over-long one) with its size. */
interface Piece {
  start: number;
  end: number;
  units: number;
  /** Last piece of its block: a paragraph break is the preferred place to end a passage. */
  endsBlock: boolean;
}

interface Section {
  heading: Block | null;
  body: Block[];
}

export function makePassages(doc: Document, options: PassageOptions = {}): Passage[] {
  const minWords = options.minWords ?? 150;
  const maxWords = Math.max(minWords, options.maxWords ?? 300);
  const passages: Passage[] = [];
  // The page of a passage's first character, which may lie past a page break inside a paragraph.
  const locator = new Locator(layoutOf(doc));
  const sections = sectionsOf(doc);
  for (const [i, section] of sections.entries()) {
    if (i > 0 && i % 256 === 0) options.onProgress?.(i, sections.length);
    const title = section.heading?.text ?? null;
    if (section.body.length === 0) {
      if (section.heading !== null) passages.push(passage(doc, locator, passages.length, section.heading.start, section.heading.end, title));
      continue;
    }
    const pieces = section.body.flatMap((block) => piecesOf(doc.text, block, maxWords));
    for (const [start, end] of pack(pieces, minWords, maxWords)) {
      passages.push(passage(doc, locator, passages.length, start, end, title));
    }
  }
  return passages;
}

function passage(doc: Document, locator: Locator, ordinal: number, start: number, end: number, section: string | null): Passage {
  return { ordinal, start, end, page: locator.locate(start).page, section, text: doc.text.slice(start, end) };
}

function sectionsOf(doc: Document): Section[] {
  const sections: Section[] = [];
  // Text of a page that is not language (ingest/unreadable-pages.ts) and readable text never
  // share a passage, so that search can leave the one out and keep the other.
  const garbled = new Set(doc.notes.flatMap((n) => (n.code === 'unreadable-pages' ? n.pages : [])));
  const isGarbled = (b: Block) => b.page !== null && garbled.has(b.page);
  let current: Section = { heading: null, body: [] };
  for (const block of doc.blocks) {
    if (block.kind === 'heading') {
      if (current.heading !== null || current.body.length > 0) sections.push(current);
      current = { heading: block, body: [] };
    } else {
      const last = current.body[current.body.length - 1];
      if (last !== undefined && isGarbled(last) !== isGarbled(block)) {
        sections.push(current);
        current = { heading: current.heading, body: [] };
      }
      current.body.push(block);
    }
  }
  if (current.heading !== null || current.body.length > 0) sections.push(current);
  return sections;
}

function piecesOf(text: string, block: Block, maxWords: number): Piece[] {
  const pieces: Piece[] = [];
  for (const s of splitSentences(block.text)) {
    const start = block.start + s.start;
    const end = block.start + s.end;
    const units = wordUnits(text.slice(start, end));
    if (units <= maxWords) pieces.push({ start, end, units, endsBlock: false });
    else pieces.push(...splitLongSentence(text, start, end, maxWords));
  }
  if (pieces.length > 0) pieces[pieces.length - 1].endsBlock = true;
  return pieces;
}

/** A token of a long sentence: one CJK character, or a run of other non-space characters. */
interface Atom {
  start: number;
  end: number;
  units: number;
  /** Ends in clause punctuation, the best place to cut. */
  clause: boolean;
}

const ATOM = new RegExp(`[${CJK_SCRIPTS}]|[^\\s${CJK_SCRIPTS}]+`, 'gu');
const CLAUSE_END = /[,;:)\]，、；：）」』”]$/;

/**
 * Cuts a sentence longer than maxWords into pieces of at most maxWords, each ending after
 * clause punctuation where one lies in its second half, else at the last word that fits.
 */
function splitLongSentence(text: string, start: number, end: number, maxWords: number): Piece[] {
  const atoms: Atom[] = [];
  for (const m of text.slice(start, end).matchAll(ATOM)) {
    const t = m[0];
    const at = start + m.index;
    atoms.push({ start: at, end: at + t.length, units: wordUnits(t), clause: CLAUSE_END.test(t) });
  }
  const pieces: Piece[] = [];
  let i = 0;
  while (i < atoms.length) {
    let units = 0;
    let j = i;
    let clauseCut = -1;
    let clauseUnits = 0;
    while (j < atoms.length && (j === i || units + atoms[j].units <= maxWords)) {
      units += atoms[j].units;
      if (atoms[j].clause && units >= maxWords / 2) {
        clauseCut = j;
        clauseUnits = units;
      }
      j++;
    }
    let last = j - 1;
    if (j < atoms.length && clauseCut >= 0) {
      last = clauseCut;
      units = clauseUnits;
    }
    pieces.push({ start: atoms[i].start, end: atoms[last].end, units, endsBlock: false });
    i = last + 1;
  }
  return pieces;
}

/**
 * Groups a section's pieces into passages: a passage ends when the next piece would take it
 * past maxWords, or at a paragraph break once it has reached the middle of the range. A short
 * last passage joins the one before when the two fit within maxWords.
 */
function pack(pieces: Piece[], minWords: number, maxWords: number): Array<[number, number]> {
  const target = (minWords + maxWords) / 2;
  const out: Array<{ start: number; end: number; units: number }> = [];
  let current: { start: number; end: number; units: number } | null = null;
  for (const piece of pieces) {
    if (current !== null && current.units + piece.units > maxWords) {
      out.push(current);
      current = null;
    }
    if (current === null) current = { start: piece.start, end: piece.end, units: piece.units };
    else {
      current.end = piece.end;
      current.units += piece.units;
    }
    if (piece.endsBlock && current.units >= target) {
      out.push(current);
      current = null;
    }
  }
  if (current !== null) out.push(current);
  if (out.length >= 2) {
    const last = out[out.length - 1];
    const previous = out[out.length - 2];
    if (last.units < minWords && previous.units + last.units <= maxWords) {
      previous.end = last.end;
      previous.units += last.units;
      out.pop();
    }
  }
  return out.map((p) => [p.start, p.end]);
}
