// What a question asks for, finer than its answer type (answer-types.ts), and whether a passage
// gives it: a name ("what was X called", "叫什么"), a person ("who …"), a rate ("how many X per
// Y", "每年…几天"). Only the decline rule reads these (decline.ts): the ranker's answer type stays
// as it was. A document that mentions Ahab's wife but gives no name for her holds sentences with
// "wife" and "Ahab" in them, none with a name the question does not already give; a labour law
// full of day counts gives none "per year".
import { chineseTagged } from './chinese-words.js';
import { STOP_WORDS, termsOf } from './terms.js';

export type AskedValue = { kind: 'name' } | { kind: 'person' } | { kind: 'rate'; per: string[] };

const NAME_EN =
  /\bwhat (?:is|was|are|were) (?:the |his |her |their |its |[\p{L}-]+['’]s )?(?:first |last |full |real |maiden |given |family )?(?:name|title)s?\b|\b(?:what|how) (?:is|was|are|were) (?:\S+ ){1,8}?(?:called|named)\b|\bwhat did (?:\S+ ){1,6}?(?:call|name)\b|\bby what name\b/iu;
const NAME_ZH = /叫什么|叫做什么|名叫什么|什么名字|名字是什么|名字叫|叫啥|表字|什么名号|书名|诗名|题目是什么|哪本书|哪首诗/u;
const PERSON_EN = /(?:^|[,;]\s*)who\b|\bwho (?:is|was|are|were|did|does|do|will|would|must|may|can|could|should|has|had|killed|wrote|said|told|found|married)\b|\bwhom\b|\bwhose\b/iu;
const PERSON_ZH = /谁|何人/u;

/** Units a rate is "per": English words and their Chinese forms, with the same unit under other names. */
const PER_UNITS: Record<string, string[]> = {
  second: ['second'], minute: ['minute'], hour: ['hour', '小时', '时'], day: ['day', 'daily', '日', '天'],
  week: ['week', 'weekly', '周', '星期'], month: ['month', 'monthly', '月'], quarter: ['quarter', 'quarterly', '季'],
  year: ['year', 'annual', 'annually', 'yearly', 'annum', '年'], person: ['person', 'head', 'capita', '人'],
  share: ['share', '股'], time: ['time', '次'],
};
const EN_QUANTITY = /\bhow (?:many|much|often|long)\b|\bwhat (?:\w+ ){0,3}(?:rate|number|amount|fee|price|salary)\b/iu;
const EN_PER = /\b(?:per|each|every|an?) (second|minute|hour|day|week|month|quarter|year|annum|person|head|capita|share|time)s?\b|\b(daily|weekly|monthly|quarterly|annual|annually|yearly)\b/iu;
const ZH_PER = /每(?:一|个)?(小时|日|天|周|星期|月|季|年|人|股|次)[^？?。，,]{0,12}?(?:多少|几)/u;

function unitOf(word: string): string | null {
  const w = word.toLowerCase();
  for (const [unit, names] of Object.entries(PER_UNITS)) if (names.includes(w) || names.includes(w.replace(/s$/u, ''))) return unit;
  return null;
}

/** What the question asks for, finer than its answer type; null when none of these. */
export function askedValue(question: string): AskedValue | null {
  const zh = ZH_PER.exec(question);
  if (zh !== null) return { kind: 'rate', per: PER_UNITS[unitOf(zh[1])!] };
  if (EN_QUANTITY.test(question)) {
    const en = EN_PER.exec(question);
    const unit = en === null ? null : unitOf(en[1] ?? en[2]);
    if (unit !== null) return { kind: 'rate', per: PER_UNITS[unit] };
  }
  if (NAME_EN.test(question) || NAME_ZH.test(question)) return { kind: 'name' };
  if (PERSON_EN.test(question) || PERSON_ZH.test(question)) return { kind: 'person' };
  return null;
}

const NUMBER = String.raw`(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|hundred|once|twice|a few|several)`;
const ZH_NUMBER = '[零〇一二两三四五六七八九十百千万亿半\\d]';

/** Whether a passage states a rate per the unit: a number with "per Y", "a Y", "Y-ly", "/Y", "每Y". */
export function givesRate(passage: string, per: string[]): boolean {
  for (const name of per) {
    if (/[\u4e00-\u9fff]/u.test(name)) {
      if (new RegExp(`(?:每|平均每|每个|每一)${name}[^。；;]{0,20}?${ZH_NUMBER}|${ZH_NUMBER}[^。；;]{0,6}?/${name}`, 'u').test(passage)) return true;
      continue;
    }
    const unit = /ly$|annual|annum/u.test(name) ? `\\b${name}\\b` : `\\b(?:per|each|every|an?|/)\\s?${name}s?\\b`;
    const pattern = new RegExp(`\\b${NUMBER}\\b[^.;]{0,60}?${unit}|${unit}[^.;]{0,40}?\\b${NUMBER}\\b`, 'iu');
    if (pattern.test(passage)) return true;
  }
  return false;
}

/** Words a party to an agreement or a law is called by: "who" is answered by them as by a name. */
const PARTY = /\b(?:Provider|Customer|Company|Licensor|Licensee|Vendor|Client|Purchaser|Investor|Seller|Buyer|Discloser|Recipient|Contributor|Holder|Board)s?\b|当事人|一方|双方|用人单位|劳动者|出卖人|买受人|债权人|债务人|甲方|乙方|人民法院/u;

/**
 * Whether a passage holds a name the question does not already give: an English word written
 * with a capital inside a sentence (not its first word) whose terms the question lacks, or a
 * quoted title; in Chinese a 《title》 or “quotation”, or a word jieba tags as a name or does not
 * know (the novels' names are mostly unknown to its dictionary). With `parties`, a party word
 * ("the Customer", "用人单位") counts too: a contract answers "who" with one.
 */
export function givesName(passage: string, question: string, parties = false): boolean {
  const asked = new Set(termsOf(question));
  const newTerms = (s: string): boolean => {
    const ts = termsOf(s);
    return ts.length > 0 && ts.some((t) => !asked.has(t));
  };
  for (const m of passage.matchAll(/[《“「"]([^》”」"]{1,40})[》”」"]/gu)) if (!question.includes(m[1]) && newTerms(m[1])) return true;
  if (parties) {
    for (const m of passage.matchAll(new RegExp(PARTY.source, 'gu'))) if (newTerms(m[0])) return true;
  }
  if (/[\u4e00-\u9fff]/u.test(passage)) {
    for (const { word, tag } of chineseTagged(passage)) {
      if ([...word].length < 2 || !/^[\u4e00-\u9fff]+$/u.test(word) || question.includes(word)) continue;
      if (tag === 'nr' || tag === 'nrt' || tag === 'nz' || tag === 'ns' || tag === 'x') return true;
    }
    return false;
  }
  // Sentence by sentence, so that a sentence's first word (capitalised whatever it is) is left out.
  // Not after a title's full stop ("Mrs. Turner"), which ends no sentence.
  for (const sentence of passage.split(/(?<=[.!?;:])(?<!\b(?:Mr|Mrs|Ms|Dr|St|Mt|No|vs)\.)\s+|\n+/u)) {
    const words = [...sentence.matchAll(/[\p{L}][\p{L}'’-]*/gu)];
    for (const m of words.slice(1)) {
      const w = m[0].replace(/['’]s$/u, '');
      if (!/^\p{Lu}/u.test(w) || w.length < 2 || STOP_WORDS.has(w.toLowerCase()) || /^(?:I|Mr|Mrs|Ms|Dr|Miss|Sir|Lady|Lord|Section|Article|Chapter|Table|Figure)$/u.test(w)) continue;
      if (newTerms(w)) return true;
    }
  }
  return false;
}
