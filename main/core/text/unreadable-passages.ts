// Passages that lie on pages whose text is not language (ingest/unreadable-pages.ts): they stay
// in the document and its reading, but carry a flag that search and answers filter on.
import type { Document } from '../document.js';
import type { Passage } from './passages.js';

/**
 * Ordinals of the passages with more than half of their characters in blocks on the given
 * pages: a passage that starts on a garbled page and runs into a readable one keeps the
 * readable text searchable, and the other way round.
 */
export function unreadablePassages(doc: Document, passages: readonly Passage[], pages: readonly number[]): Set<number> {
  const out = new Set<number>();
  if (pages.length === 0) return out;
  const bad = new Set(pages);
  let first = 0;
  for (const passage of passages) {
    // Passages and blocks both run in text order: skip the blocks that end before this passage.
    while (first < doc.blocks.length && doc.blocks[first].end <= passage.start) first++;
    let unreadable = 0;
    for (let i = first; i < doc.blocks.length && doc.blocks[i].start < passage.end; i++) {
      const block = doc.blocks[i];
      if (block.page === null || !bad.has(block.page)) continue;
      unreadable += Math.min(block.end, passage.end) - Math.max(block.start, passage.start);
    }
    if (unreadable * 2 > passage.end - passage.start) out.add(passage.ordinal);
  }
  return out;
}
