// A document's sentences as the units that answers rank and cite, each with its place (page,
// heading path, paragraph within its section, the passage that holds it) and its terms, plus an
// inverted index over them. Built from the stored document once and kept for the last few
// documents, so a second question on a book costs nothing here.
import type { Document } from '../document.js';
import type { Db } from '../store/db.js';
import { getDocument, loadWholeDocument } from '../store/documents.js';
import { Locator, layoutOf } from '../text/locate.js';
import { splitSentences } from '../text/sentences.js';
import { documentLanguage, termsOf } from './terms.js';

export interface SentenceUnit {
  /** Offsets into the document text. */
  start: number;
  end: number;
  /** Page of the sentence's first character; null for formats without pages. */
  page: number | null;
  /** Index into SentenceIndex.sections. */
  section: number;
  /** 1-based paragraph (block) within its section. */
  paragraph: number;
  /** Index of the block the sentence belongs to; neighbours are taken within one section. */
  block: number;
  terms: string[];
}

export interface SectionInfo {
  /** Heading path, outermost first; empty before the first heading. */
  path: string[];
  terms: string[];
}

export interface SentenceIndex {
  documentId: number;
  sha256: string;
  text: string;
  language: 'en' | 'zh';
  paged: boolean;
  units: SentenceUnit[];
  sections: SectionInfo[];
  /** term → [unit, term frequency in the unit] pairs. */
  postings: Map<string, Array<[number, number]>>;
  /** Inverse document frequency over the units. */
  idf(term: string): number;
  averageLength: number;
}

/** Sentences shorter than this are merged into the next one of the same block ("(a)", "Ibid."). */
const MIN_SENTENCE_CHARS = 12;
const CACHED_DOCUMENTS = 4;

const cache: SentenceIndex[] = [];

export function sentenceIndex(db: Db, documentId: number): SentenceIndex {
  const sha256 = getDocument(db, documentId)?.sha256;
  const hit = cache.find((c) => c.documentId === documentId && c.sha256 === sha256);
  if (hit !== undefined) return hit;
  // Passages on pages whose text layer is not language are left out of answers, as of search.
  const unreadable = db
    .prepare('SELECT "start", "end" FROM passages WHERE document_id = ? AND unreadable = 1 ORDER BY "start"')
    .all(documentId) as Array<{ start: number; end: number }>;
  const index = buildIndex(documentId, sha256 ?? '', loadWholeDocument(db, documentId, 'an answer'), unreadable);
  cache.unshift(index);
  cache.length = Math.min(cache.length, CACHED_DOCUMENTS);
  return index;
}

export function buildIndex(
  documentId: number,
  sha256: string,
  doc: Document,
  unreadable: ReadonlyArray<{ start: number; end: number }> = [],
): SentenceIndex {
  const locator = new Locator(layoutOf(doc));
  const readable = (offset: number): boolean => !unreadable.some((r) => r.start <= offset && offset < r.end);
  const units: SentenceUnit[] = [];
  const sections: SectionInfo[] = [{ path: [], terms: [] }];
  const headingStack: Array<{ level: number; text: string }> = [];
  let paragraph = 0;
  doc.blocks.forEach((block, b) => {
    if (block.kind === 'heading') {
      while (headingStack.length > 0 && headingStack[headingStack.length - 1].level >= block.level) headingStack.pop();
      headingStack.push({ level: block.level, text: block.text });
      const path = headingStack.map((h) => h.text);
      sections.push({ path, terms: termsOf(path.join('\n')) });
      paragraph = 0;
      return;
    }
    paragraph++;
    let pending: { start: number; end: number } | null = null;
    const spans = splitSentences(block.text);
    spans.forEach((s, i) => {
      const start = pending?.start ?? block.start + s.start;
      const end = block.start + s.end;
      if (end - start < MIN_SENTENCE_CHARS && i < spans.length - 1) {
        pending = { start, end };
        return;
      }
      pending = null;
      if (!readable(start)) return;
      units.push({
        start,
        end,
        page: locator.locate(start).page,
        section: sections.length - 1,
        paragraph,
        block: b,
        terms: termsOf(doc.text.slice(start, end)),
      });
    });
  });

  const postings = new Map<string, Array<[number, number]>>();
  let totalLength = 0;
  units.forEach((u, i) => {
    totalLength += u.terms.length;
    const tf = new Map<string, number>();
    for (const t of u.terms) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const [t, n] of tf) {
      let list = postings.get(t);
      if (list === undefined) postings.set(t, (list = []));
      list.push([i, n]);
    }
  });
  const N = units.length;
  return {
    documentId,
    sha256,
    text: doc.text,
    language: documentLanguage(doc.text),
    paged: doc.pages !== null,
    units,
    sections,
    postings,
    idf: (term) => {
      const df = postings.get(term)?.length ?? 0;
      return Math.log(1 + (N - df + 0.5) / (df + 0.5));
    },
    averageLength: N === 0 ? 1 : Math.max(1, totalLength / N),
  };
}
