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

export function makePassages(doc: Document, options: PassageOptions = {}): Passage[] {
  const passages: Passage[] = [];
  // The page of a passage's first character, which may lie past a page break inside a paragraph.
  const locator = new Locator(layoutOf(doc));
  // Text of a page that is not language (ingest/unreadable-pages.ts) and readable text never
  // share a passage, so that search can leave the one out and keep the other.
  const garbled = new Set(doc.notes.flatMap((n) => (n.code === 'unreadable-pages' ? n.pages : [])));
  const stream = new PassageStream({
    ...options,
    textOf: (start, end) => doc.text.slice(start, end),
    pageOf: (start) => locator.locate(start).page,
    onPassage: (p) => passages.push(p),
  });
  const headings = doc.blocks.filter((b) => b.kind === 'heading').length;
  let sectionsDone = 0;
  for (const block of doc.blocks) {
    if (block.kind === 'heading' && ++sectionsDone % 256 === 0) options.onProgress?.(sectionsDone, headings + 1);
    stream.add(block, block.page !== null && garbled.has(block.page));
  }
  stream.finish();
  return passages;
}

export interface PassageStreamOptions {
  minWords?: number;
  maxWords?: number;
  /** The document's text [start, end): passages are slices of it. */
  textOf: (start: number, end: number) => string;
  pageOf: (start: number) => number | null;
  onPassage: (p: Passage) => void;
}

/**
 * Passages made as the blocks come, in text order (issue 18: a text of hundreds of MB is cut
 * into passages while it is ingested, never held whole). A section runs from a heading to the
 * next; its blocks' sentences are packed as they arrive, and only the last two passages of a
 * section wait, since the section's end may join them.
 */
export class PassageStream {
  private readonly minWords: number;
  private readonly maxWords: number;
  private heading: Pick<Block, 'start' | 'end' | 'text'> | null = null;
  private bodyBlocks = 0;
  private lastGarbled = false;
  private readonly packer: Packer;
  private ordinal = 0;

  constructor(private readonly options: PassageStreamOptions) {
    this.minWords = options.minWords ?? 150;
    this.maxWords = Math.max(this.minWords, options.maxWords ?? 300);
    this.packer = new Packer(this.minWords, this.maxWords, (start, end) => this.emit(start, end));
  }

  /** `garbled`: the block lies on a page whose text is not language. */
  add(block: Pick<Block, 'kind' | 'start' | 'end' | 'text'>, garbled = false): void {
    if (block.kind === 'heading') {
      this.closeSection();
      this.heading = { start: block.start, end: block.end, text: block.text };
      this.bodyBlocks = 0;
      return;
    }
    if (this.bodyBlocks > 0 && garbled !== this.lastGarbled) this.packer.finish();
    this.lastGarbled = garbled;
    this.bodyBlocks++;
    for (const piece of piecesOf(block, this.maxWords)) this.packer.add(piece);
  }

  finish(): void {
    this.closeSection();
    this.heading = null;
    this.bodyBlocks = 0;
  }

  /** The first offset of the text a passage still to come may begin at. */
  get neededFrom(): number {
    return Math.min(this.packer.neededFrom, this.heading?.start ?? Infinity);
  }

  private closeSection(): void {
    if (this.bodyBlocks > 0) this.packer.finish();
    else if (this.heading !== null) this.emit(this.heading.start, this.heading.end);
  }

  private emit(start: number, end: number): void {
    const { textOf, pageOf, onPassage } = this.options;
    onPassage({ ordinal: this.ordinal++, start, end, page: pageOf(start), section: this.heading?.text ?? null, text: textOf(start, end) });
  }
}

function piecesOf(block: Pick<Block, 'start' | 'end' | 'text'>, maxWords: number): Piece[] {
  const pieces: Piece[] = [];
  for (const s of splitSentences(block.text)) {
    const units = wordUnits(block.text.slice(s.start, s.end));
    if (units <= maxWords) pieces.push({ start: block.start + s.start, end: block.start + s.end, units, endsBlock: false });
    else pieces.push(...splitLongSentence(block.text.slice(s.start, s.end), block.start + s.start, maxWords));
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
function splitLongSentence(sentence: string, start: number, maxWords: number): Piece[] {
  const atoms: Atom[] = [];
  for (const m of sentence.matchAll(ATOM)) {
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

interface Run {
  start: number;
  end: number;
  units: number;
}

/**
 * Groups a section's pieces into passages as they come: a passage ends when the next piece would
 * take it past maxWords, or at a paragraph break once it has reached the middle of the range. A
 * short last passage joins the one before when the two fit within maxWords, so the last two
 * finished passages are held until the section ends (`finish`).
 */
class Packer {
  private readonly target: number;
  private current: Run | null = null;
  private held: Run[] = [];

  constructor(
    private readonly minWords: number,
    private readonly maxWords: number,
    private readonly emit: (start: number, end: number) => void,
  ) {
    this.target = (minWords + maxWords) / 2;
  }

  get neededFrom(): number {
    return this.held[0]?.start ?? this.current?.start ?? Infinity;
  }

  add(piece: Piece): void {
    if (this.current !== null && this.current.units + piece.units > this.maxWords) this.close();
    if (this.current === null) this.current = { start: piece.start, end: piece.end, units: piece.units };
    else {
      this.current.end = piece.end;
      this.current.units += piece.units;
    }
    if (piece.endsBlock && this.current.units >= this.target) this.close();
  }

  /** The section ends: what is held goes out, the short last passage joined to the one before. */
  finish(): void {
    if (this.current !== null) this.close();
    if (this.held.length === 2) {
      const [previous, last] = this.held;
      if (last.units < this.minWords && previous.units + last.units <= this.maxWords) {
        previous.end = last.end;
        previous.units += last.units;
        this.held.pop();
      }
    }
    for (const run of this.held) this.emit(run.start, run.end);
    this.held = [];
  }

  private close(): void {
    this.held.push(this.current as Run);
    this.current = null;
    if (this.held.length > 2) {
      const run = this.held.shift() as Run;
      this.emit(run.start, run.end);
    }
  }
}
