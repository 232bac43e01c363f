// The kind of answer a question asks for (a date, a sum of money, a duration, a party, a number,
// a percentage, a definition) and whether a sentence holds one. A sentence that holds the asked
// type is more likely the answer; no candidate holding it is a reason to decline.

export type AnswerType = 'date' | 'money' | 'duration' | 'percent' | 'number' | 'party' | 'definition' | 'reason';

/** Question patterns, most specific first: the first that matches names the expected type. */
const EXPECTS: Array<[AnswerType, RegExp]> = [
  ['percent', /\b(?:what|which) (?:\w+ ){0,3}(?:rate|percentage|share|fraction|proportion)\b|\bhow much (?:of|percent)|百分之|比例|比率|利率/iu],
  ['money', /\bhow much (?:money|does|do|is|will|would|must|did|can)\b|\b(?:what|which) (?:\w+ ){0,3}(?:price|fee|fees|cost|amount|sum|cap|salary|payment|valuation|premium)\b|多少钱|金额|费用|工资|赔偿金|罚款/iu],
  ['duration', /\bhow (?:long|soon|quickly|often|many (?:days|weeks|months|years|hours|minutes))\b|\bwithin what (?:time|period)\b|\b(?:what|which) (?:\w+ ){0,2}(?:period|term|deadline|notice period)\b|多久|多长|几天|几个月|几年|期限|期间|年限|多少天|多少日/iu],
  ['date', /\bwhen\b|\b(?:what|which) (?:\w+ ){0,2}(?:date|year|day|month|time)\b|\bin what year\b|何时|什么时候|哪一年|哪年|日期|哪天/iu],
  ['party', /\bwho\b|\bwhom\b|\bwhich (?:party|parties|company|person|side|entity)\b|谁|哪一方|哪方|何人/iu],
  ['number', /\bhow (?:many|much|large|big|high|small|fast|old|far)\b|\bwhat (?:\w+ ){0,2}(?:number|size|score|speedup|count|percentage|bleu|error|accuracy)\b|多少|几个|几名|几种|几次|第几|多大|多高/iu],
  ['definition', /\bwhat (?:is|are|does|do) (?:an? |the )?(?:\S+ ){0,4}(?:mean|means|meant|defined)\b|\bwhat is (?:an? |the )?\S+(?: \S+)?\?$|\bdefin|是指|指的是|什么是|定义|含义/iu],
  ['reason', /\bwhy\b|\bfor what reason\b|\brationale\b|为什么|为何|原因|理由/iu],
];

export function expectedType(question: string): AnswerType | null {
  for (const [type, pattern] of EXPECTS) if (pattern.test(question)) return type;
  return null;
}

const NUMBER = String.raw`\d[\d,]*(?:\.\d+)?`;
const NUMBER_WORD = String.raw`(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|forty-five|fifty|sixty|ninety|hundred|a few|several)`;
const CHINESE_NUMBER = '[零一二两三四五六七八九十百千万亿〇\\d]+';
const UNIT_OF_TIME = String.raw`(?:business |calendar |working )?(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|quarters?)`;

/** Sentence patterns: whether a sentence holds an answer of the type. */
const HOLDS: Record<AnswerType, RegExp> = {
  date: new RegExp(
    String.raw`\b(?:1[5-9]\d\d|20\d\d)\b|\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|` +
      String.raw`\b(?:effective date|date of|days? after|within \w+|prior to|no later than|before|after|until|upon)\b|${CHINESE_NUMBER}[年月日]|之日|期间|期限|届满|以前|之前|之后|以内`,
    'iu',
  ),
  money: new RegExp(String.raw`[$€£¥]\s?${NUMBER}|\b${NUMBER}\s?(?:dollars|usd|eur|euros|pounds|million|billion)\b|\bfees?\b.*\b${NUMBER}|${CHINESE_NUMBER}(?:元|万元|倍)|工资|报酬|价款|赔偿`, 'iu'),
  // "ten (10) days", "(10) days" as contracts write them; a frequency ("once a year") answers "how often".
  duration: new RegExp(
    String.raw`\b(?:${NUMBER}|${NUMBER_WORD})(?:\s*\(\d+\))?[\s-]+${UNIT_OF_TIME}\b|\(\d+\)[\s-]+${UNIT_OF_TIME}\b|\b(?:annual|annually|monthly|daily|weekly|quarterly)\b|` +
      String.raw`\b(?:once|twice|(?:${NUMBER}|${NUMBER_WORD}) times) (?:a|an|per|each|every) (?:calendar )?(?:day|week|month|quarter|year)\b|${CHINESE_NUMBER}\s*(?:日|天|个月|月|年|小时|周)|期限|期间`, 'iu'),
  percent: new RegExp(String.raw`${NUMBER}\s?%|\b${NUMBER}\s?percent\b|\bper ?cent\b|百分之|分之|${CHINESE_NUMBER}成|倍`, 'iu'),
  number: new RegExp(String.raw`\b${NUMBER}\b|\b${NUMBER_WORD}\b|${CHINESE_NUMBER}|半数|多数`, 'iu'),
  party: /\b(?:Provider|Customer|Company|Licensor|Licensee|Vendor|Client|Purchaser|Investor|Seller|Buyer|party|parties|Mr|Mrs|Miss|Dr)\b|\b[A-Z][a-z]+(?: [A-Z][a-z]+)+\b|当事人|一方|双方|用人单位|劳动者|出卖人|买受人|债权人|债务人|[\u4e00-\u9fff]{2,3}(?:道|说|笑)/u,
  definition: /\bmeans?\b|\bis defined as\b|\brefers? to\b|\bshall mean\b|\b(?:is|are) (?:a|an|the) \w+ (?:that|which|of|in)\b|[“"][^”"]{2,60}[”"]\s*(?:means|shall mean|has the meaning)|是指|指的是|称为|是一种/iu,
  reason: /\bbecause\b|\bsince\b|\bdue to\b|\bin order to\b|\bso that\b|\breason\b|\btherefore\b|\bthus\b|\bas a result\b|因为|由于|所以|因此|为了|以便/iu,
};

export function holdsType(sentence: string, type: AnswerType): boolean {
  return HOLDS[type].test(sentence);
}
