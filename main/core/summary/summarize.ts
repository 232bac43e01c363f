// A document's summary: its genre, an overview of its own sentences, an outline and key facts,
// every sentence cited. Extractive and deterministic: the same document gives the same summary.
// No model signal is used (2026-12-05, lectern-mamba2-7m-v6: passage-vector centrality and passage
// surprisal as salience raised ROUGE on the development papers and the held-out ones at no
// setting, docs/EVAL.md), so the summary's modelId is null and one summary serves every model.
import type { Summary } from '../../../common/types.js';
import type { Document } from '../document.js';
import { countCjkChars } from '../text/cjk.js';
import { summaryContext, type ContextOptions } from './context.js';
import { keyFacts } from './facts/index.js';
import { detectGenre } from './genre.js';
import { outline } from './outline.js';
import { overview } from './overview.js';

/**
 * The summary's method version: a stored summary made by an older method is made again. Bump it
 * whenever a change to summary/ changes what a summary holds. 2 (2026-12-05): the overview is
 * chosen within a length budget, with salience scaled by length (selection.ts). 3 (the same day):
 * novels and books keep the earlier overview (overview.ts, NARRATIVE_OVERVIEW).
 */
export const SUMMARY_METHOD = 3;

export type ComputedSummary = Omit<Summary, 'id' | 'cached'>;

export function summarize(doc: Document, options: ContextOptions = {}): ComputedSummary {
  const { genre } = detectGenre(doc);
  const ctx = summaryContext(doc, { dropDialogue: genre === 'novel', ...options });
  const chinese = countCjkChars(doc.text) > 0.3 * doc.text.length;
  return {
    modelId: null,
    title: doc.title,
    genre,
    overview: overview(ctx, genre),
    outline: outline(ctx),
    facts: keyFacts(ctx, genre, chinese),
  };
}
