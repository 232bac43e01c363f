// What the document itself marks as important, beyond what its sentences share: the sections
// that frame it (an introduction, a conclusion: where authors say what the whole is about) and
// the words of its title and headings (what the author chose to name).
import type { SummaryContext } from './context.js';
import { isApparatusHeading } from './boilerplate.js';
import type { Sentence } from './sentences.js';
import type { Structure } from './structure.js';
import { contentTerms } from './terms.js';

const FRAMING_HEADING =
  /^(?:[\dIVX]+(?:\.\d+)*\.?\s+)?(?:introduction|overview|summary|conclusions?|concluding remarks|conclusions? and future work|discussion and conclusions?|引言|绪论|前言|概述|结论|总结|结语)\b/i;

/** Whether a heading opens a framing section (an introduction or conclusion). */
export function isFramingHeading(heading: string): boolean {
  return FRAMING_HEADING.test(heading.replace(/\s+/g, ' ').trim());
}

/** 1 + weight for each section whose heading frames the document, 1 for the others. */
export function framingPrior(structure: Structure, weight: number): Float64Array {
  return Float64Array.from(structure.sections, (s) => (s.heading !== null && isFramingHeading(s.heading) ? 1 + weight : 1));
}

/**
 * How deep each section is below the document's top sections: 0 for those at the shallowest
 * heading level that holds sentences to quote (the title's level holds none, so "1 Introduction"
 * is 0 whether the title is set at its level or above), 1 for their subsections, and so on.
 */
export function sectionDepths(structure: Structure, sentences: Sentence[]): Int32Array {
  const quoted = new Set(sentences.filter((s) => s.eligible).map((s) => s.section));
  let top = Infinity;
  for (const s of structure.sections) if (s.heading !== null && quoted.has(s.index)) top = Math.min(top, s.level);
  return Int32Array.from(structure.sections, (s) => (s.heading === null || !Number.isFinite(top) ? 0 : Math.max(0, s.level - top)));
}

/**
 * The content terms of the title and of the headings (apparatus and framing headings left out)
 * as a concept's extra weight: 1 + weight for a title term's, 1 + weight / 2 for a heading term's.
 */
export function headingTermBoost(ctx: SummaryContext, weight: number): (concept: string) => number {
  const titleTerms = new Set(contentTerms(ctx.doc.title));
  const headingTerms = new Set<string>();
  for (const s of ctx.structure.sections) {
    if (s.heading === null || isApparatusHeading(s.heading) || isFramingHeading(s.heading)) continue;
    for (const t of contentTerms(s.heading)) headingTerms.add(t);
  }
  return (concept) => {
    // A pair of terms counts by the better of its parts.
    let boost = 1;
    for (const t of concept.split(' ')) {
      if (titleTerms.has(t)) boost = Math.max(boost, 1 + weight);
      else if (headingTerms.has(t)) boost = Math.max(boost, 1 + weight / 2);
    }
    return boost;
  };
}
