// Key facts of a contract or a law: for each clause a reader looks for first (parties, dates,
// term, termination, payment, liability, governing law, notices) the sentence that states it
// most plainly, found by the clause's own wording and by the heading it sits under; and the
// defined terms with the sentences that define them. Chinese contracts and statutes get their
// own vocabulary (当事人, 生效, 期限, 解除, 违约责任, 管辖/适用法律 …), their parties from the lines
// that name them (甲方：…) and their defined terms from 所称…是指.
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
  // "甲方：…" and "甲方（委托方）：…": each party's own line, or a statute's 当事人 clause.
  // A contract's parties come from their own lines (chineseParties); this finds a statute's.
  { key: 'parties', label: '当事人', sentence: /当事人[^。；]*(?:是|为|指)|双方[^。；]*签订|用人单位与劳动者/, heading: /当事人|双方/ },
  { key: 'effective-date', label: '生效', sentence: /生效|施行/, heading: /生效|效力/ },
  { key: 'term', label: '期限', sentence: /期限|有效期|期满|届满|续期|续签/, heading: /期限/ },
  { key: 'termination', label: '解除', sentence: /解除|终止/, heading: /解除|终止/ },
  { key: 'payment', label: '付款', sentence: /支付|价款|报酬|工资|费用/, heading: /履行|报酬|工资|价款/ },
  { key: 'liability', label: '违约责任', sentence: /违约责任|承担[^。；]*责任|赔偿/, heading: /违约责任|法律责任/ },
  {
    key: 'liability-cap',
    label: '责任限额',
    sentence: /(?:赔偿|违约)?责任[^。；]*(?:总额|累计|最高|上限)[^。；]*(?:不(?:得)?超过|不高于|以[^。；]*为限)|赔偿[^。；]*(?:上限|最高限额)/,
    heading: /违约责任|责任限制|赔偿/,
  },
  { key: 'governing-law', label: '管辖/适用法律', sentence: /管辖|适用[^。；]*法律|仲裁|诉讼/, heading: /争议|管辖|适用/ },
  { key: 'notices', label: '通知', sentence: /通知/, heading: /通知/ },
];

/** "“Agreement” means …", "(the “Company”)", "(this "Agreement")". */
const DEFINITION = /[“"]([\p{Lu}][\p{L}\p{N}'’ -]{1,48})[”"]\s*(?:\)|means\b|shall mean\b|has the meaning\b|refers to\b|is defined\b)/gu;
/** "本合同所称“交付物”，是指…", "“保密信息”是指…", "固定期限劳动合同，是指…" (a clause's own subject). */
const DEFINITION_ZH = /(?:本(?:合同|协议|法|条例|规定|办法|条)所称)?[“"]([^“”"。；，,]{1,16})[”"][，,]?\s*(?:是指|系指|指)|(?:本(?:合同|协议|法|条例|规定|办法|条)所称|^(?:第[一二三四五六七八九十百千零〇两\d]+条\s*)?)([^“”"。；，,：:]{2,16})[，,]?\s*(?:是指|系指)/gu;
/** "甲方（委托方）：青禾数据科技有限公司": the party's role, then its name. */
const PARTY_LINE_ZH = /^([甲乙丙丁]方)(?:[（(]([^）)]{1,8})[）)])?[：:]\s*([^\n，。；]{2,60})/;
/**
 * Where a party's name ends: a paragraph's lines are joined without a break in Chinese text, so
 * "青禾数据科技有限公司统一社会信用代码：…" must be cut after the organisation's own suffix, or
 * before the next field's label.
 */
const NAME_SUFFIX_ZH = /^.{1,40}?(?:股份有限公司|有限责任公司|有限公司|公司|集团|研究院|研究所|事务所|中心|大学|学院|医院|银行|委员会|协会|合作社|厂|局)/u;
const NEXT_FIELD_ZH = /统一社会信用代码|注册地址|地址|住所|法定代表人|负责人|联系人|联系电话|电话|身份证|电子邮箱|邮箱/u;
const MAX_DEFINED_TERMS = 12;

export function contractFacts(ctx: SummaryContext, chinese: boolean): SummaryFact[] {
  const candidates = factSentences(ctx);
  const facts: SummaryFact[] = [];
  const parties = chinese ? chineseParties(ctx, candidates) : [];
  facts.push(...parties);
  for (const rule of chinese ? CHINESE : ENGLISH) {
    if (rule.key === 'parties' && parties.length > 0) continue;
    const best = bestClause(ctx, candidates, rule);
    if (best >= 0) facts.push(sentenceFact(ctx, rule.key, rule.label, best));
  }
  facts.push(...(chinese ? definedTerms(ctx, candidates, DEFINITION_ZH, '定义') : definedTerms(ctx, candidates, DEFINITION, 'Defined term')));
  return facts;
}

/** Each party named on its own line at the head of a Chinese contract, the name as the value. */
function chineseParties(ctx: SummaryContext, candidates: number[]): SummaryFact[] {
  const facts: SummaryFact[] = [];
  const seen = new Set<string>();
  for (const i of candidates) {
    const s = ctx.sentences[i];
    const text = ctx.doc.text.slice(s.start, s.end);
    const m = PARTY_LINE_ZH.exec(text);
    if (!m || seen.has(m[1])) continue;
    seen.add(m[1]);
    const name = partyName(m[3]);
    if (name.length < 2) continue;
    const valueStart = s.start + m[0].length - m[3].length;
    // The citation is the party's line up to its name, not the address and contacts after it.
    facts.push(spanFact(ctx, 'parties', m[2] ? `${m[1]}（${m[2]}）` : m[1], valueStart, valueStart + name.length, s.start, valueStart + name.length));
  }
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

function partyName(run: string): string {
  const suffixed = NAME_SUFFIX_ZH.exec(run);
  if (suffixed) return suffixed[0];
  const next = NEXT_FIELD_ZH.exec(run);
  return (next && next.index > 0 ? run.slice(0, next.index) : run).trimEnd();
}

function definedTerms(ctx: SummaryContext, candidates: number[], definition: RegExp, label: string): SummaryFact[] {
  const seen = new Set<string>();
  const facts: SummaryFact[] = [];
  for (const i of candidates) {
    const s = ctx.sentences[i];
    const text = ctx.doc.text.slice(s.start, s.end);
    for (const m of text.matchAll(definition)) {
      const term = (m[1] ?? m[2] ?? '').trim();
      if (seen.has(term.toLowerCase()) || term.length < 2) continue;
      seen.add(term.toLowerCase());
      const valueStart = s.start + m.index + m[0].indexOf(term);
      facts.push(spanFact(ctx, 'defined-term', label, valueStart, valueStart + term.length, s.start, s.end));
      if (facts.length >= MAX_DEFINED_TERMS) return facts;
    }
  }
  return facts;
}
