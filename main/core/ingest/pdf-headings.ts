// Headings: from the document outline when it has one (each entry matched to the paragraph on
// its page that carries its title, or inserted where the entry points), otherwise from font
// size (short lines clearly larger than the body text, not ending like a sentence).
import type { Paragraph } from './pdf-paragraphs.js';

export interface OutlineEntry {
  title: string;
  /** 1 for top-level entries. */
  level: number;
  /** 1-based page the entry points to. */
  page: number;
  /** Where on the page it points, in the page's reading frame; null for the page's top. */
  y: number | null;
}

const HEADING_RATIO = 1.15; // "clearly larger" than the body font size
const MAX_HEADING_CHARS = 150;

function normalised(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** The title without its numbering ("Chapter 1: Creators" → "Creators", "1.1 概述" → "概述"). */
function core(title: string): string {
  return title.replace(/^\s*(?:(?:chapter|part|section|appendix)\s+)?(?:\d+(?:\.\d+)*|[ivxlcdm]+)\s*[.:)]?\s+/i, '');
}

export function titleMatches(title: string, text: string): boolean {
  const t = normalised(title);
  const c = normalised(core(title));
  const p = normalised(text);
  if (p.length === 0 || t.length === 0) return false;
  if (p === t || p === c) return true;
  if (c.length >= 3 && p.includes(c) && p.length <= t.length + 20) return true;
  return p.length >= 3 && t.includes(p) && p.length >= 0.6 * c.length;
}

function bodySize(paragraphs: Paragraph[]): number {
  const weights = new Map<number, number>();
  for (const p of paragraphs) {
    const key = Math.round(p.size * 2) / 2;
    weights.set(key, (weights.get(key) ?? 0) + p.text.length);
  }
  let best = 0;
  let size = 0;
  for (const [key, weight] of weights) {
    if (weight > best) {
      best = weight;
      size = key;
    }
  }
  return size;
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+|\}\s*@[\p{L}\p{N}-]+\./u;

/**
 * A paper's author line is often set as large as its section headings (ResNet: "Kaiming He
 * Xiangyu Zhang Shaoqing Ren Jian Sun Microsoft Research" at the size of "1. Introduction"); what
 * gives it away is an e-mail address in it or on the line right under it ("{kahe, …}@microsoft.com").
 * A section heading is never followed by an address.
 */
function isAuthorLine(p: Paragraph, next: Paragraph | undefined): boolean {
  return EMAIL.test(p.text) || (next !== undefined && next.page === p.page && EMAIL.test(next.text));
}

/**
 * Marks short paragraphs set clearly larger than the body text as headings, by size rank; only
 * those before paragraph `until` when given (the front matter of a document with an outline).
 */
export function markSizeHeadings(paragraphs: Paragraph[], until = paragraphs.length): void {
  const body = bodySize(paragraphs);
  if (body === 0) return;
  const candidates = paragraphs.slice(0, until).filter(
    (p, i) =>
      p.kind === 'paragraph' &&
      p.size >= HEADING_RATIO * body &&
      p.text.length <= MAX_HEADING_CHARS &&
      p.lines <= 3 &&
      !/[.,;:]$/.test(p.text) &&
      /\p{L}.*\p{L}/u.test(p.text) &&
      !isAuthorLine(p, paragraphs[i + 1]),
  );
  const sizes = [...new Set(candidates.map((p) => Math.round(p.size * 2) / 2))].sort((a, b) => b - a);
  for (const p of candidates) {
    p.kind = 'heading';
    p.level = Math.min(6, sizes.indexOf(Math.round(p.size * 2) / 2) + 1);
  }
}

/**
 * Marks the paragraphs that carry outline titles as headings. A paragraph that begins with a
 * title (a run-in heading) is split; entries whose title is nowhere on their page are inserted
 * where they point, so the outline survives even when the page prints it differently.
 */
export function applyOutline(paragraphs: Paragraph[], entries: OutlineEntry[]): Paragraph[] {
  const out = [...paragraphs];
  const used = new Set<Paragraph>();
  const missing: Paragraph[] = [];
  for (const entry of entries) {
    const onPage = out.filter((p) => p.page === entry.page && !used.has(p));
    const below = entry.y === null ? onPage : onPage.filter((p) => p.y >= (entry.y as number) - p.size);
    const pool = below.length > 0 ? below : onPage;
    const match = pool.find((p) => titleMatches(entry.title, p.text));
    if (match) {
      match.kind = 'heading';
      match.level = entry.level;
      used.add(match);
      continue;
    }
    const prefix = entry.title.replace(/\s+/g, ' ').trim();
    const runIn = pool.find((p) => p.text.toLowerCase().startsWith(`${prefix.toLowerCase()} `));
    if (runIn && prefix.length > 0) {
      const heading: Paragraph = { ...runIn, kind: 'heading', level: entry.level, text: prefix, lines: 1, pageBreaks: undefined };
      const rest = runIn.text.slice(prefix.length).trimStart();
      const cut = runIn.text.length - rest.length;
      runIn.pageBreaks = runIn.pageBreaks?.map((b) => ({ at: Math.max(0, b.at - cut), page: b.page }));
      runIn.text = rest.trimEnd();
      out.splice(out.indexOf(runIn), 0, heading);
      used.add(heading);
      continue;
    }
    missing.push({
      kind: 'heading',
      level: entry.level,
      text: entry.title,
      page: entry.page,
      y: entry.y ?? -Infinity,
      size: 0,
      lines: 1,
    });
  }
  return insertInOrder(out, missing);
}

function insertInOrder(paragraphs: Paragraph[], headings: Paragraph[]): Paragraph[] {
  if (headings.length === 0) return paragraphs;
  const pending = [...headings].sort((a, b) => a.page - b.page || a.y - b.y);
  const out: Paragraph[] = [];
  let next = 0;
  for (const p of paragraphs) {
    while (next < pending.length && (pending[next].page < p.page || (pending[next].page === p.page && pending[next].y <= p.y))) {
      out.push(pending[next++]);
    }
    out.push(p);
  }
  while (next < pending.length) out.push(pending[next++]);
  return out;
}
