// A fact is always the document's own words: a sentence, or a span of one, with its citation.
import type { SummaryFact } from '../../../../common/types.js';
import type { SummaryContext } from '../context.js';
import { cite } from '../structure.js';

/** The whole sentence as the fact's value. */
export function sentenceFact(ctx: SummaryContext, key: string, label: string, index: number): SummaryFact {
  const s = ctx.sentences[index];
  return spanFact(ctx, key, label, s.start, s.end, s.start, s.end);
}

/**
 * A span [valueStart, valueEnd) as the value, cited by the passage [start, end) that contains it
 * (its sentence, heading or block), so the reader sees the span in its context.
 */
export function spanFact(
  ctx: SummaryContext,
  key: string,
  label: string,
  valueStart: number,
  valueEnd: number,
  start: number,
  end: number,
): SummaryFact {
  if (valueStart < start || valueEnd > end) throw new Error(`fact ${key}: value [${valueStart}, ${valueEnd}) is outside its citation [${start}, ${end})`);
  return { key, label, value: ctx.doc.text.slice(valueStart, valueEnd), citation: cite(ctx.structure, start, end) };
}

/** Sentences a fact may come from: everything outside apparatus sections and drafting notes. */
export function factSentences(ctx: SummaryContext): number[] {
  return ctx.sentences
    .filter((s) => {
      if (s.apparatus) return false;
      const text = ctx.doc.text.slice(s.start, s.end);
      // A template's drafting notes are instructions to whoever fills it in, not its terms.
      return !/drafting note/i.test(text) && s.units <= 150;
    })
    .map((s) => s.index);
}
