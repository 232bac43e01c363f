// What kind of document this is, from its structure and vocabulary, in English and Chinese:
// a contract (parties, "shall", defined terms; 甲方/乙方), a law (numbered articles, 第…条, a
// statute's title), a paper (an abstract, citations, a reference list), a novel (chapters and
// dialogue), a book (long, chaptered, not fiction), or other. Each test is a count per thousand
// words, so a one-page NDA and a 300-page book are judged on the same scale.
import type { DocumentGenre } from '../../../common/types.js';
import type { Document } from '../document.js';
import { countCjkChars } from '../text/cjk.js';
import { isApparatusHeading } from './boilerplate.js';

export interface GenreEvidence {
  genre: DocumentGenre;
  /** Per thousand words. */
  contractTerms: number;
  citations: number;
  /** Speech verbs per thousand words. */
  dialogue: number;
  /** Third-person pronouns per thousand words (English only). */
  narration: number;
  articles: number;
  abstract: boolean;
  references: boolean;
  chapters: number;
}

const CONTRACT_EN =
  /\b(?:agreement|part(?:y|ies)|shall|hereby|hereunder|herein|hereto|indemnif\w*|warrant(?:y|ies)|governing law|terminat\w+|effective date|licensee|licensor|confidential information|obligations?|liabilit(?:y|ies))\b/gi;
const CONTRACT_ZH = /甲方|乙方|丙方|双方|当事人|合同|协议|违约|约定/g;
const PARTIES_ZH = /甲方|乙方/g;
const CITATION = /\[\d+(?:\s*[,–-]\s*\d+)*\]|\[[A-Z][A-Za-z+]*\d{2}[a-z]?(?:,\s*[A-Z][A-Za-z+]*\d{2}[a-z]?)*\]|\bet al\.|\(\p{Lu}\p{L}+(?: and \p{Lu}\p{L}+)?,? (?:19|20)\d\d[a-z]?\)/gu;
/** Speech verbs: quotation marks alone also fill non-fiction (scare quotes, quoted sources). */
const SPEECH_EN = /\b(?:said|replied|cried|exclaimed|answered)\b/g;
/** Third-person narration, which fiction is mostly written in. */
const NARRATION_EN = /\b(?:she|her|he|him|his)\b/gi;
const SPEECH_ZH = /[道说][：:]|笑道/g;
const ARTICLE = /^(?:第[一二三四五六七八九十百千零〇两\d]+条|(?:Article|Section|§)\s*\d+[.:]?\s)/;
const LAW_TITLE = /(?:法|法典|条例|规定|办法|解释)$|\b(?:Act|Code|Regulations?|Statute|Law)\b/;
const CHAPTER = /^(?:chapter|book|part)\s+(?:[\dIVXLC]+|one|two|three|four|five|six|seven|eight|nine|ten)\b|^第[一二三四五六七八九十百千零〇两\d]+[回章卷]/i;

export function detectGenre(doc: Document): GenreEvidence {
  const text = doc.text;
  const cjk = countCjkChars(text);
  const chinese = cjk > 0.3 * text.length;
  // Words: whitespace tokens outside CJK runs plus half a word per CJK character (text/cjk.ts).
  const words = Math.max(1, (text.length - cjk) / 6 + cjk / 2);
  const perK = (re: RegExp): number => ((text.match(re)?.length ?? 0) * 1000) / words;
  const headings = doc.blocks.filter((b) => b.kind === 'heading');
  const early = doc.blocks.slice(0, 30);
  const abstract = early.some((b) => /^(?:abstract|摘\s*要)\b/i.test(b.text.trim()));
  const references = headings.some((h) => /^(?:\d+\.?\s+)?(?:references|bibliography|works cited|参考文献)\s*$/i.test(h.text.trim()));
  const chapters = headings.filter((h) => CHAPTER.test(h.text.trim())).length;
  const articleBlocks = doc.blocks.filter((b) => b.kind !== 'heading' && ARTICLE.test(b.text)).length;
  const evidence: Omit<GenreEvidence, 'genre'> = {
    contractTerms: chinese ? perK(CONTRACT_ZH) : perK(CONTRACT_EN),
    citations: perK(CITATION),
    dialogue: chinese ? perK(SPEECH_ZH) : perK(SPEECH_EN),
    narration: chinese ? 0 : perK(NARRATION_EN),
    articles: (articleBlocks * 1000) / words,
    abstract,
    references,
    chapters,
  };
  return { genre: decide(doc, evidence, chinese), ...evidence };
}

function decide(doc: Document, e: Omit<GenreEvidence, 'genre'>, chinese: boolean): DocumentGenre {
  const long = doc.text.length > 150_000 || (doc.pages ?? 0) >= 80;
  const title = doc.title.trim();
  const partiesZh = chinese ? (doc.text.match(PARTIES_ZH)?.length ?? 0) : 0;
  if (e.articles >= 2 && LAW_TITLE.test(title) && partiesZh < 5) return 'law';
  // An abstract near the start and citations: a paper, unless it runs to a book's length.
  if (e.abstract && (e.references || e.citations >= 2) && (doc.pages ?? 0) <= 80 && doc.text.length < 400_000) return 'paper';
  // Papers stay below 2 contract terms per thousand words, novels below 3, contracts above 8.
  if (chinese ? partiesZh >= 5 || (/合同|协议/.test(title) && !LAW_TITLE.test(title)) : e.contractTerms >= 6 && !long) return 'contract';
  if (e.articles >= 4 && !long) return 'law';
  // Measured 2026-12-05: novels 2.3–7.6 speech verbs and 28–58 pronouns per thousand words,
  // Free Culture 0.7 and 5.3; 红楼梦 hundreds of 道：, a LaTeX manual none.
  const fiction = chinese ? e.dialogue >= 3 : e.dialogue >= 1.5 && e.narration >= 15;
  if (fiction && (e.chapters >= 3 || long)) return 'novel';
  if (long || e.chapters >= 3 || doc.blocks.some((b) => b.kind === 'heading' && isApparatusHeading(b.text) && /contents|目\s*录/i.test(b.text))) {
    return long ? 'book' : 'other';
  }
  return 'other';
}
