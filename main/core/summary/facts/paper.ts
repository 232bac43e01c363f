// Key facts of a paper: its title and author line as printed, the abstract's opening, and the
// sentences that state its contributions, its data and its main results, each cited.
import type { SummaryFact } from '../../../../common/types.js';
import type { SummaryContext } from '../context.js';
import type { Sentence } from '../sentences.js';
import type { Structure } from '../structure.js';
import { factSentences, sentenceFact, spanFact } from './cited.js';

const ABSTRACT_HEADING = /^(?:abstract|摘\s*要)[.:：]?$/i;
const CONTRIBUTION =
  /\b(?:we (?:propose|present|introduce|show|demonstrate|develop|describe|study|find)|our (?:main |key )?(?:contributions?|findings?)|in this (?:paper|work)|this (?:paper|work) (?:presents|proposes|introduces|shows))\b|本文(?:提出|研究)|我们提出/i;
const DATA =
  /\b(?:data ?sets?|corpus|corpora|benchmarks?|trained on|we train\w*|training data|test sets?|WMT|ImageNet|CIFAR|COCO|WebText|LibriSpeech)\b|数据集|语料/i;
const RESULT =
  /\b(?:achiev\w*|outperform\w*|improv\w*|state[- ]of[- ]the[- ]art|speedups?|accuracy|error rates?|BLEU|faster|reduc\w*|better than)\b|优于|提高/i;
const MAX_EACH = 3;

/** Blocks [first, end) of doc.blocks. */
export interface BlockRange {
  first: number;
  end: number;
}

/**
 * Where the abstract is: the body of a section headed "Abstract", or else the paragraph that
 * opens with the word (or follows it, when the word stands alone) — only that paragraph, since
 * a paper without headings is one section.
 */
export function abstractBlocks(structure: Structure): BlockRange | null {
  for (const section of structure.sections.slice(0, 12)) {
    if (section.heading !== null && ABSTRACT_HEADING.test(section.heading.trim())) return { first: section.firstBlock, end: section.endBlock };
  }
  const blocks = structure.doc.blocks;
  const b = blocks.slice(0, 30).findIndex((block) => block.kind !== 'heading' && /^(?:abstract|摘\s*要)\b/i.test(block.text));
  if (b < 0) return null;
  const alone = blocks[b].text.trim().length < 20;
  const first = alone ? b + 1 : b;
  return first < blocks.length && blocks[first].kind !== 'heading' ? { first, end: first + 1 } : null;
}

export function paperFacts(ctx: SummaryContext): SummaryFact[] {
  const facts: SummaryFact[] = [];
  const { doc } = ctx;
  const titleBlock = doc.blocks.findIndex((b) => b.kind === 'heading' && b.text.trim() === doc.title.trim());
  const abstract = abstractBlocks(ctx.structure);
  const inAbstract = (x: Sentence): boolean => abstract !== null && x.block >= abstract.first && x.block < abstract.end;
  if (titleBlock >= 0) {
    const b = doc.blocks[titleBlock];
    facts.push(spanFact(ctx, 'title', 'Title', b.start, b.end, b.start, b.end));
    // The author line: the first block after the title, before the abstract, that holds names.
    for (let i = titleBlock + 1; i < Math.min(doc.blocks.length, titleBlock + 6); i++) {
      const a = doc.blocks[i];
      if (a.kind === 'heading') break;
      if (/\p{Lu}\p{Ll}+ \p{Lu}/u.test(a.text) && !/@/.test(a.text.slice(0, 40))) {
        facts.push(spanFact(ctx, 'authors', 'Authors', a.start, a.end, a.start, a.end));
        break;
      }
    }
  }
  const candidates = factSentences(ctx).map((i) => ctx.sentences[i]);
  if (abstract !== null) {
    const opening = candidates.filter((s) => inAbstract(s) && !s.table).slice(0, 2);
    if (opening.length > 0) {
      const first = opening[0];
      const last = opening.length > 1 && opening[1].block === first.block ? opening[1] : first;
      facts.push(spanFact(ctx, 'abstract', 'Abstract', first.start, last.end, first.start, last.end));
    }
  }
  const pick = (re: RegExp, key: string, label: string, order: (s: Sentence) => number): void => {
    const matches = candidates.filter((s) => s.eligible || (inAbstract(s) && !s.junk)).filter((s) => re.test(doc.text.slice(s.start, s.end)));
    const chosen = matches.sort((a, b) => order(a) - order(b)).slice(0, MAX_EACH).sort((a, b) => a.index - b.index);
    for (const s of chosen) facts.push(sentenceFact(ctx, key, label, s.index));
  };
  // Contributions are stated first (abstract, introduction): the earliest. Data and results are
  // spread through the paper: the most central of those that state them, with a number for results.
  pick(CONTRIBUTION, 'contribution', 'Contribution', (s) => s.index);
  pick(DATA, 'data', 'Data', (s) => -ctx.centrality[s.index]);
  pick(
    RESULT,
    'result',
    'Main result',
    (s) => -(ctx.centrality[s.index] + (/\d/.test(doc.text.slice(s.start, s.end)) ? 1 : 0) + (inAbstract(s) ? 1 : 0)),
  );
  return facts;
}
