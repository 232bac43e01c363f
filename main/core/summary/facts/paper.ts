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

/** The abstract's section index: a heading "Abstract", or a block that opens with the word. */
export function abstractSection(structure: Structure): number | null {
  for (const section of structure.sections.slice(0, 12)) {
    if (section.heading !== null && ABSTRACT_HEADING.test(section.heading.trim())) return section.index;
  }
  const b = structure.doc.blocks.slice(0, 30).findIndex((block) => block.kind !== 'heading' && /^(?:abstract|摘\s*要)\b/i.test(block.text));
  return b < 0 ? null : structure.blockSection[b];
}

export function paperFacts(ctx: SummaryContext): SummaryFact[] {
  const facts: SummaryFact[] = [];
  const { doc } = ctx;
  const titleBlock = doc.blocks.findIndex((b) => b.kind === 'heading' && b.text.trim() === doc.title.trim());
  const abstract = abstractSection(ctx.structure);
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
    const opening = candidates.filter((s) => s.section === abstract && !s.table).slice(0, 2);
    if (opening.length > 0) {
      const first = opening[0];
      const last = opening.length > 1 && opening[1].block === first.block ? opening[1] : first;
      facts.push(spanFact(ctx, 'abstract', 'Abstract', first.start, last.end, first.start, last.end));
    }
  }
  const pick = (re: RegExp, key: string, label: string, order: (s: Sentence) => number): void => {
    const matches = candidates.filter((s) => s.eligible || s.section === abstract).filter((s) => re.test(doc.text.slice(s.start, s.end)));
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
    (s) => -(ctx.centrality[s.index] + (/\d/.test(doc.text.slice(s.start, s.end)) ? 1 : 0) + (s.section === abstract ? 1 : 0)),
  );
  return facts;
}
