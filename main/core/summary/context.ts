// What every part of the summary reads, computed once per document: its sections, sentences,
// their terms, vectors and centrality.
import type { Document } from '../document.js';
import { sectionCentrality } from './centrality.js';
import { abstractBlocks } from './facts/paper.js';
import { sentencesOf, termsOf, type Sentence } from './sentences.js';
import { structureOf, type Structure } from './structure.js';
import { termSpace, type TermSpace } from './vectors.js';

export interface SummaryContext {
  doc: Document;
  structure: Structure;
  sentences: Sentence[];
  terms: string[][];
  space: TermSpace;
  centrality: Float64Array;
}

export interface ContextOptions {
  /**
   * Keep the abstract's sentences out of the overview and outline: only for scoring the overview
   * against the abstract (test/eval/summaries.ts), where quoting it would be the answer key.
   */
  excludeAbstract?: boolean;
  /** Keep dialogue out of the overview and outline (sentences.ts): for novels. */
  dropDialogue?: boolean;
}

export function summaryContext(doc: Document, options: ContextOptions = {}): SummaryContext {
  const structure = structureOf(doc);
  const abstract = options.excludeAbstract ? abstractBlocks(structure) : null;
  const sentences = sentencesOf(structure, {
    excludeBlock: (b) => abstract !== null && b >= abstract.first && b < abstract.end,
    dropDialogue: options.dropDialogue,
  });
  const terms = termsOf(doc, sentences);
  const space = termSpace(terms);
  return { doc, structure, sentences, terms, space, centrality: sectionCentrality(sentences, space) };
}

/** Text of a sentence. */
export function sentenceText(ctx: SummaryContext, s: Sentence): string {
  return ctx.doc.text.slice(s.start, s.end);
}
