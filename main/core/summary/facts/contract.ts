// Key facts of a contract or a law: for each clause a reader looks for first (parties, dates,
// term, termination, payment, liability, governing law, notices) the sentence that states it
// most plainly, found by the clause's own wording and by the heading it sits under; and the
// defined terms with the sentences that define them. Chinese contracts and statutes get their
// own vocabulary (当事人, 生效, 期限, 解除, 违约责任, 管辖/适用法律 …).
import type { SummaryFact } from '../../../../common/types.js';
import type { SummaryContext } from '../context.js';
import { factSentences, sentenceFact, spanFact } from './cited.js';

interface ClauseRule {
  key: string;
  label: string;
  /** The clause's wording in a sentence. */
  sentence: RegExp;
  /** The heading of a section that holds the clause. */
  heading: RegExp;
}

const ENGLISH: ClauseRule[] = [
  {
    key: 'parties',
    label: 'Parties',
    sentence: /\b(?:by and )?between\b[^.]{3,}\band\b|\bthe parties\b[^.]*\bare\b|\bentered into\b|\bparty\b[^.]*\bmeans\b/i,
    heading: /\bparties\b/i,
  },
  { key: 'effective-date', label: 'Effective date', sentence: /\beffective date\b|\beffective as of\b|\bdated as of\b|\bagreement date\b/i, heading: /\beffective\b/i },
  {
    key: 'term',
    label: 'Term and renewal',
    sentence: /\b(?:initial |renewal |subscription )?(?:term|period)\b[^.]*\b(?:years?|months?|renew\w*|expires?|continues?)\b|\bauto-?renew\w*\b|\brenew(?:al|s|ed)\b/i,
    heading: /\bterm\b|\brenewal\b|\bsubscription period\b/i,
  },
  {
    key: 'termination',
    label: 'Termination',
    sentence: /\bmay terminate\b|\bterminat\w*\b[^.]*\b(?:notice|breach|convenience|days|insolven\w*)\b/i,
    heading: /\bterminat/i,
  },
  {
    key: 'payment',
    label: 'Payment',
    sentence: /\b(?:pay|pays|paid|payment|fees?|invoices?|invoiced|purchase price|purchase amount)\b[^.]*\b(?:within|days|due|\$|per|amount|price)\b/i,
    heading: /\bpayment\b|\bfees?\b|\bpurchase price\b/i,
  },
  {
    key: 'liability-cap',
    label: 'Liability cap',
    sentence: /\bliabilit\w*\b[^.]*\b(?:exceed|limited to|cap|maximum|aggregate|in no event)\b|\bcap amount\b/i,
    heading: /\bliabilit/i,
  },
  { key: 'governing-law', label: 'Governing law', sentence: /\bgoverned by\b|\bgoverning law\b|\blaws of the state of\b|\blaws of\b[^.]*\bwithout regard\b/i, heading: /\bgoverning law\b|\bjurisdiction\b/i },
  {
    key: 'notices',
    label: 'Notices',
    sentence: /\bnotices?\b[^.]*\b(?:in writing|address|e-?mail|delivered|sent|given)\b/i,
    heading: /\bnotices?\b/i,
  },
];

const CHINESE: ClauseRule[] = [
  { key: 'parties', label: '当事人', sentence: /[甲乙丙]方[：:]|当事人[^。；]*(?:是|为|指)|双方[^。；]*签订|用人单位与劳动者/, heading: /当事人|双方/ },
  { key: 'effective-date', label: '生效', sentence: /生效|施行/, heading: /生效|效力/ },
  { key: 'term', label: '期限', sentence: /期限/, heading: /期限/ },
  { key: 'termination', label: '解除', sentence: /解除|终止/, heading: /解除|终止/ },
  { key: 'payment', label: '付款', sentence: /支付|价款|报酬|工资|费用/, heading: /履行|报酬|工资|价款/ },
  { key: 'liability', label: '违约责任', sentence: /违约责任|承担[^。；]*责任|赔偿/, heading: /违约责任|法律责任/ },
  { key: 'governing-law', label: '管辖/适用法律', sentence: /管辖|适用[^。；]*法律|仲裁|诉讼/, heading: /争议|管辖|适用/ },
  { key: 'notices', label: '通知', sentence: /通知/, heading: /通知/ },
];

/** "“Agreement” means …", "(the “Company”)", "(this "Agreement")". */
const DEFINITION = /[“"]([\p{Lu}][\p{L}\p{N}'’ -]{1,48})[”"]\s*(?:\)|means\b|shall mean\b|has the meaning\b|refers to\b|is defined\b)/gu;
const MAX_DEFINED_TERMS = 12;

export function contractFacts(ctx: SummaryContext, chinese: boolean): SummaryFact[] {
  const candidates = factSentences(ctx);
  const facts: SummaryFact[] = [];
  for (const rule of chinese ? CHINESE : ENGLISH) {
    const best = bestClause(ctx, candidates, rule);
    if (best >= 0) facts.push(sentenceFact(ctx, rule.key, rule.label, best));
  }
  if (!chinese) facts.push(...definedTerms(ctx, candidates));
  return facts;
}

/**
 * The sentence that states a clause: it must use the clause's wording; one under a heading that
 * names the clause ranks first, then the earliest (a contract states a clause before it refers
 * back to it). Returns -1 when no sentence qualifies.
 */
function bestClause(ctx: SummaryContext, candidates: number[], rule: ClauseRule): number {
  let best = -1;
  let bestScore = -Infinity;
  const n = ctx.sentences.length || 1;
  for (const i of candidates) {
    const s = ctx.sentences[i];
    const text = ctx.doc.text.slice(s.start, s.end);
    if (!rule.sentence.test(text)) continue;
    const path = ctx.structure.sections[s.section]?.path ?? '';
    // A table row "Governing Law | The laws of …" names the clause in its first cell.
    const labelled = s.table && rule.heading.test(text.split('|')[0] ?? '');
    const score = (rule.heading.test(path) ? 2 : 0) + (labelled ? 2 : 0) + (s.units >= 6 ? 0.5 : 0) - i / n;
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  }
  return best;
}

function definedTerms(ctx: SummaryContext, candidates: number[]): SummaryFact[] {
  const seen = new Set<string>();
  const facts: SummaryFact[] = [];
  for (const i of candidates) {
    const s = ctx.sentences[i];
    const text = ctx.doc.text.slice(s.start, s.end);
    for (const m of text.matchAll(DEFINITION)) {
      const term = m[1].trim();
      if (seen.has(term.toLowerCase()) || term.length < 2) continue;
      seen.add(term.toLowerCase());
      const valueStart = s.start + m.index + m[0].indexOf(term);
      facts.push(spanFact(ctx, 'defined-term', 'Defined term', valueStart, valueStart + term.length, s.start, s.end));
      if (facts.length >= MAX_DEFINED_TERMS) return facts;
    }
  }
  return facts;
}
