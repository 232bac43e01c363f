// DOCX through mammoth: its HTML rendering (headings by style, lists, tables, notes) walked
// into blocks. DOCX has no pages, so every block's page is null.
import mammoth from 'mammoth';
import { DocumentBuilder, type Document } from '../document.js';
import { rejections } from '../errors.js';
import { isCompoundFile } from './detect.js';
import { elementTexts, tokenizeMarkup } from './markup.js';
import { markupToBlocks, type MarkupBlock } from './markup-blocks.js';
import { listZipEntries, readZipEntry } from './zip-entries.js';

const DISPLAY_HEADING = 'Lectern display heading';

const STYLE_MAP = [
  "p[style-name='Title'] => h1:fresh",
  "p[style-name='Subtitle'] => h2:fresh",
  ...[1, 2, 3, 4, 5, 6].flatMap((n) => [
    `p[style-name='heading ${n}'] => h${n}:fresh`,
    `p[style-name='Heading ${n}'] => h${n}:fresh`,
  ]),
  `p[style-name='${DISPLAY_HEADING}'] => h1:fresh`,
  // Comments and tracked deletions are not part of the text a reader reads.
  'comment-reference => !',
];

export async function ingestDocx(bytes: Uint8Array): Promise<Document> {
  if (isCompoundFile(bytes)) throw rejections.encrypted();
  const result = await mammoth.convertToHtml(
    { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
    { styleMap: STYLE_MAP, transformDocument: markDisplayHeadings, externalFileAccess: false },
  );
  const { blocks, notes } = markupToBlocks(result.value);
  const builder = new DocumentBuilder();
  let firstHeading: string | null = null;
  for (const block of blocks.flatMap(shapeHeading)) {
    if (block.kind === 'heading') firstHeading ??= block.text;
    builder.add({ kind: block.kind, level: block.level, page: null, text: block.text });
  }
  if (notes.length > 0) {
    builder.add({ kind: 'heading', level: 1, page: null, text: 'Notes' });
    for (const note of notes) builder.add({ kind: 'paragraph', page: null, text: note });
  }
  const meta = readCoreProperties(bytes);
  return builder.build({ kind: 'docx', title: meta.title ?? firstHeading ?? '', author: meta.author, pages: null });
}

/**
 * Word's numbered clauses are often whole paragraphs in a heading style with a run-in title
 * ("Fees.  Unless the Order Form…"). Such a paragraph becomes the short heading and a
 * paragraph; a heading-styled paragraph that is really a sentence becomes a paragraph.
 */
export function shapeHeading(block: MarkupBlock): MarkupBlock[] {
  if (block.kind !== 'heading') return [block];
  const runIn = /^([^.:;!?]{3,80}?)[.:]\s+(\S[\s\S]*)$/.exec(block.text);
  if (runIn && isTitleLike(runIn[1])) {
    return [
      { kind: 'heading', level: block.level, text: runIn[1].trim() },
      { kind: 'paragraph', level: 0, text: runIn[2] },
    ];
  }
  if (!isHeadingLike(block.text)) return [{ kind: 'paragraph', level: 0, text: block.text }];
  // "Definitions." reads as "Definitions"; "Inc." or "U.S." keep their dots.
  const text = /^[^.]+[.:]$/.test(block.text) ? block.text.slice(0, -1).trim() : block.text;
  return [{ ...block, text }];
}

/** A run-in title: a few words, each significant one capitalised ("Access and Use"). */
function isTitleLike(lead: string): boolean {
  const words = lead.trim().split(/\s+/);
  if (words.length > 8 || !/^[\p{Lu}\p{Lo}\d“"'‘(]/u.test(lead.trim())) return false;
  return words.every((w) => w.length < 4 || !/^\p{Ll}/u.test(w));
}

/** Short, and either title-like or not ending like a sentence. */
function isHeadingLike(text: string): boolean {
  const words = text.split(/\s+/).length;
  const bare = text.replace(/[.:;,]$/, '');
  if (words <= 12 && isTitleLike(bare)) return true;
  return words <= 15 && !/[.;:,]$/.test(text);
}

interface MammothElement {
  type?: string;
  children?: MammothElement[];
  styleId?: string | null;
  styleName?: string | null;
  fontSize?: number | null;
  value?: string;
}

/**
 * Many templates set a title in large direct formatting instead of the Title style. A short
 * unstyled paragraph whose text is all 18 pt or larger is treated as a heading of level 1.
 */
function markDisplayHeadings(element: MammothElement): MammothElement {
  if (element.type === 'paragraph' && !element.styleName && !element.styleId) {
    const runs = descendants(element).filter((e) => e.type === 'run' && textOf(e).trim().length > 0);
    const text = runs.map(textOf).join('').trim();
    if (runs.length > 0 && text.length <= 120 && runs.every((r) => (r.fontSize ?? 0) >= 18)) {
      element.styleName = DISPLAY_HEADING;
    }
  }
  for (const child of element.children ?? []) markDisplayHeadings(child);
  return element;
}

function descendants(element: MammothElement): MammothElement[] {
  return (element.children ?? []).flatMap((c) => [c, ...descendants(c)]);
}

function textOf(element: MammothElement): string {
  if (element.type === 'text') return element.value ?? '';
  return (element.children ?? []).map(textOf).join('');
}

function readCoreProperties(bytes: Uint8Array): { title: string | null; author: string | null } {
  const entry = listZipEntries(bytes).find((e) => e.name === 'docProps/core.xml');
  const data = entry ? readZipEntry(bytes, entry) : null;
  if (!data) return { title: null, author: null };
  const tokens = tokenizeMarkup(new TextDecoder().decode(data));
  const first = (name: string) => elementTexts(tokens, name).find((t) => t.length > 0) ?? null;
  return { title: first('title'), author: first('creator') };
}
