// The outline: every heading, with the 1–3 most central sentences of its section (fewer when a
// document has many headings, so a long book's outline stays short to read and fast to build).
import type { OutlineEntry } from '../../../common/types.js';
import { isApparatusHeading } from './boilerplate.js';
import type { SummaryContext } from './context.js';
import { citedSentence } from './overview.js';

/** Headings beyond this are not outlined (a book's index of 2,000 run-in headings is not an outline). */
export const MAX_OUTLINE_ENTRIES = 300;

export function sentencesPerEntry(headings: number): number {
  return headings <= 20 ? 3 : headings <= 60 ? 2 : 1;
}

export function outline(ctx: SummaryContext): OutlineEntry[] {
  const sections = ctx.structure.sections.filter((s) => s.headingBlock >= 0).slice(0, MAX_OUTLINE_ENTRIES);
  const perEntry = sentencesPerEntry(sections.length);
  const bySection = new Map<number, number[]>();
  for (const s of ctx.sentences) {
    if (!s.eligible) continue;
    const list = bySection.get(s.section);
    if (list === undefined) bySection.set(s.section, [s.index]);
    else list.push(s.index);
  }
  return sections.map((section) => {
    const block = ctx.doc.blocks[section.headingBlock];
    const members = isApparatusHeading(block.text) ? [] : (bySection.get(section.index) ?? []);
    const chosen = [...members]
      .sort((a, b) => ctx.centrality[b] - ctx.centrality[a])
      .slice(0, perEntry)
      .sort((a, b) => a - b);
    return {
      heading: block.text.replace(/\s+/g, ' ').trim(),
      level: block.level,
      page: block.page,
      start: block.start,
      sentences: chosen.map((i) => citedSentence(ctx, i)),
    };
  });
}
