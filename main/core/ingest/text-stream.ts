// Plain text ingested as it is read (issue 18): a file of hundreds of MB goes into the library
// without ever being held whole. Three passes over the file, each a MiB at a time: the first finds
// the Project Gutenberg cut (the first START line, the last END line), the second counts what
// decides how lines group into paragraphs and finds the title (these two: planPlainText), the
// third turns lines into blocks and passages and hands them, with the text, to a sink (the
// store's writer, or a Document in memory). Only the open paragraph, a run of chapter lines and
// the passages not yet finished are held, so memory does not grow with the file; the result is
// exactly what parsing the whole text at once gave (test/integration/text-stream.test.ts cuts
// the same files into pieces of any size). A file of no line break at all is one paragraph, and
// is held whole while it is parsed.
import type { Block } from '../document.js';
import { BLOCK_SEPARATOR, tidy } from '../document.js';
import type { IngestNote } from '../document-notes.js';
import { rejections, throwIfAborted } from '../errors.js';
import { PassageStream, type Passage } from '../text/passages.js';
import { ChapterSettler, type TextBlock } from './chapter-lines.js';
import { detectEncoding, type EncodingGuess } from './encoding.js';
import { bodyLines, GutenbergScan, type GutenbergCut } from './gutenberg.js';
import { LineStats, ParagraphGrouper, type ParagraphMode } from './plain-text.js';
import { head, linesOf, normalizedPieces, PIECE_BYTES, type ByteSource, type Line } from './text-source.js';
import { Unboxer } from './text-boxes.js';
import { TitleFinder } from './text-title.js';

/** Where a streamed text goes: its text in order, its blocks, its passages, and late heading levels. */
export interface TextSink {
  text(piece: string): void;
  /** Returns the block's ordinal. */
  block(block: Omit<Block, 'text'>, text: string): number;
  passage(p: Passage): void;
  /** A heading's level, known once the whole text has shown which chapter ranks it uses. */
  setLevel(ordinal: number, level: number): void;
}

export interface StreamedText {
  title: string;
  author: string | null;
  notes: IngestNote[];
  chars: number;
}

export interface StreamOptions {
  /** Bytes read and decoded at a time; tests make it tiny. */
  pieceBytes?: number;
  /** Files up to this size are decoded once for all passes (default DECODE_ONCE_BYTES); tests set 0. */
  decodeOnceBytes?: number;
  onProgress?: (done: number, total: number, unit: string) => void;
  signal?: AbortSignal;
}

/**
 * Adding plain text reads the file four times: the library hashes it (to find it if it is stored
 * already), then the three passes here. Progress counts the bytes of all four, so its estimate of
 * the time left holds for the whole add; the unit says which pass it is in.
 */
export const TEXT_PASSES = ['hashing', 'scanning', 'measuring', 'parsing'] as const;

/** A pass's bytes done as progress over all the passes. */
export function passProgress(
  onProgress: StreamOptions['onProgress'],
  size: number,
  pass: (typeof TEXT_PASSES)[number],
): (bytesDone: number) => void {
  const index = TEXT_PASSES.indexOf(pass);
  const kib = (n: number): number => Math.round(n / 1024);
  const unit = `KiB read, pass ${index + 1} of ${TEXT_PASSES.length} (${pass})`;
  return (done) => onProgress?.(kib(index * size + done), kib(TEXT_PASSES.length * size), unit);
}

/** What the first passes learn about a text before it is parsed: all that depends on the whole of it. */
export interface TextPlan {
  /** The file's encoding, guessed once from its head for every pass. */
  guess: EncodingGuess;
  cut: GutenbergCut;
  mode: ParagraphMode;
  /** The first short line of the body, for a text with no Gutenberg title. */
  titleLine: string;
  /** A small file's normalised text in pieces, decoded once for all the passes; null for a large one. */
  pieces: string[] | null;
}

/**
 * Files up to this size are decoded once and their text kept for the later passes: an ordinary
 * book (a MB or two) then costs one decode, not three, which kept adding it as fast as before the
 * streaming (2026-12-05); the text kept is a few MB at most.
 */
const DECODE_ONCE_BYTES = 4 * 2 ** 20;

/**
 * The two passes that look at the whole text (the Gutenberg cut; the paragraph mode and the
 * title line). They only read, so the library runs them before it takes the write lock.
 */
export function planPlainText(source: ByteSource, options: StreamOptions = {}): TextPlan {
  const guess = detectEncoding(head(source));
  const pieces = source.size <= (options.decodeOnceBytes ?? DECODE_ONCE_BYTES) ? [...decodedPieces(source, guess, 'scanning', options)] : null;
  const scan = new GutenbergScan();
  for (const line of passLines(source, guess, 'scanning', options, pieces)) scan.line(line);
  const cut = scan.finish();
  const stats = new LineStats();
  const title = new TitleFinder('txt');
  const measure = new Unboxer((line) => {
    stats.line(line);
    title.line(line);
  });
  for (const line of bodyLines(passLines(source, guess, 'measuring', options, pieces), cut)) measure.line(line);
  measure.finish();
  return { guess, cut, mode: stats.mode(), titleLine: title.found(), pieces };
}

/** The last pass: blocks, passages and text into the sink, as the lines come. */
export function streamPlainText(source: ByteSource, sink: TextSink, options: StreamOptions = {}, plan: TextPlan = planPlainText(source, options)): StreamedText {
  const { cut } = plan;
  const builder = new StreamBuilder(sink);
  const settler = new ChapterSettler((block) => builder.add(block));
  const grouper = new ParagraphGrouper(plan.mode, (block) => settler.add(block));
  const unboxer = new Unboxer((line) => grouper.line(line));
  for (const line of bodyLines(passLines(source, plan.guess, 'parsing', options, plan.pieces), cut)) unboxer.line(line);
  unboxer.finish();
  grouper.finish();
  settler.finish();
  const chars = builder.finish((rank) => settler.levelOf(rank));
  if (chars === 0) throw rejections.empty();
  return { title: cut.title || plan.titleLine, author: cut.author, notes: cut.removed, chars };
}

/** One pass over the file's lines, with its progress; from `pieces` when the file was decoded once. */
function passLines(source: ByteSource, guess: EncodingGuess, name: (typeof TEXT_PASSES)[number], options: StreamOptions, pieces: string[] | null): Generator<Line> {
  return linesOf(pieces ?? decodedPieces(source, guess, name, options));
}

function decodedPieces(source: ByteSource, guess: EncodingGuess, name: (typeof TEXT_PASSES)[number], options: StreamOptions): Generator<string> {
  const report = passProgress(options.onProgress, source.size, name);
  return normalizedPieces(source, guess, options.pieceBytes ?? PIECE_BYTES, (done) => {
    throwIfAborted(options.signal);
    report(done);
  });
}

/**
 * DocumentBuilder's offsets and separators, block by block into a sink, with passages cut as the
 * blocks come; the text a passage still needs is kept in a window that drops what lies before.
 */
class StreamBuilder {
  private length = 0;
  private blocks = 0;
  private readonly window: Array<{ start: number; text: string }> = [];
  private readonly passages: PassageStream;
  /** Chapter headings and their ranks: their levels are set at the end. */
  private readonly headings: Array<{ ordinal: number; rank: number }> = [];

  constructor(private readonly sink: TextSink) {
    this.passages = new PassageStream({ textOf: (start, end) => this.textOf(start, end), pageOf: () => null, onPassage: (p) => sink.passage(p) });
  }

  add(block: TextBlock): void {
    const text = tidy(block.text);
    if (text.length === 0) return;
    if (this.blocks > 0) this.push(BLOCK_SEPARATOR);
    const start = this.length;
    this.push(text);
    // A provisional level for a heading: its rank's level is known only at the end.
    const level = block.kind === 'heading' ? 1 : 0;
    const ordinal = this.sink.block({ kind: block.kind, level, page: null, start, end: this.length }, text);
    this.blocks++;
    if (block.kind === 'heading' && block.chapterRank !== undefined) this.headings.push({ ordinal, rank: block.chapterRank });
    this.passages.add({ kind: block.kind, start, end: this.length, text });
    this.drop();
  }

  /** Ends the passages and sets the headings' levels; returns the text's length. */
  finish(levelOf: (rank: number) => number): number {
    this.passages.finish();
    for (const { ordinal, rank } of this.headings) {
      const level = Math.min(6, Math.max(1, levelOf(rank)));
      if (level !== 1) this.sink.setLevel(ordinal, level);
    }
    return this.length;
  }

  private push(text: string): void {
    this.sink.text(text);
    this.window.push({ start: this.length, text });
    this.length += text.length;
  }

  private textOf(start: number, end: number): string {
    const parts: string[] = [];
    for (const w of this.window) {
      if (w.start >= end) break;
      if (w.start + w.text.length <= start) continue;
      parts.push(w.text.slice(Math.max(0, start - w.start), end - w.start));
    }
    return parts.length === 1 ? parts[0] : parts.join('');
  }

  /** Text before the first offset a passage to come may start at goes. */
  private drop(): void {
    const from = this.passages.neededFrom;
    let n = 0;
    while (n < this.window.length && this.window[n].start + this.window[n].text.length <= from) n++;
    if (n > 0) this.window.splice(0, n);
  }
}
