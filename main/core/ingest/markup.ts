// A small, tolerant tokenizer for HTML, XHTML and XML (mammoth's output, EPUB chapters, OPF
// and NCX files). It never throws: unclosed tags, stray '<' and unknown entities pass through
// as text, which is what a reader wants from a damaged file.

export type MarkupToken =
  | { type: 'open'; name: string; attrs: Record<string, string>; selfClosing: boolean }
  | { type: 'close'; name: string }
  | { type: 'text'; text: string };

/** Elements whose content is not text for the reader. */
const RAW_TEXT = new Set(['script', 'style']);

export function tokenizeMarkup(src: string): MarkupToken[] {
  const tokens: MarkupToken[] = [];
  let i = 0;
  let textStart = 0;
  const pushText = (end: number) => {
    if (end > textStart) tokens.push({ type: 'text', text: decodeEntities(src.slice(textStart, end)) });
  };
  while (i < src.length) {
    const lt = src.indexOf('<', i);
    if (lt < 0) break;
    const next = src.charCodeAt(lt + 1);
    if (src.startsWith('<!--', lt)) {
      pushText(lt);
      const end = src.indexOf('-->', lt + 4);
      i = textStart = end < 0 ? src.length : end + 3;
    } else if (src.startsWith('<![CDATA[', lt)) {
      pushText(lt);
      const end = src.indexOf(']]>', lt + 9);
      const stop = end < 0 ? src.length : end;
      tokens.push({ type: 'text', text: src.slice(lt + 9, stop) });
      i = textStart = end < 0 ? src.length : end + 3;
    } else if (next === 0x21 /* ! */ || next === 0x3f /* ? */) {
      pushText(lt);
      const end = src.indexOf('>', lt);
      i = textStart = end < 0 ? src.length : end + 1;
    } else if (next === 0x2f /* / */ || isNameStart(next)) {
      const end = tagEnd(src, lt);
      if (end < 0) {
        i = lt + 1;
        continue;
      }
      pushText(lt);
      const token = parseTag(src.slice(lt + 1, end));
      tokens.push(token);
      i = textStart = end + 1;
      if (token.type === 'open' && !token.selfClosing && RAW_TEXT.has(token.name)) {
        const closeRe = new RegExp(`</${token.name}`, 'ig');
        closeRe.lastIndex = i;
        const close = closeRe.exec(src);
        i = textStart = close ? close.index : src.length;
      }
    } else {
      i = lt + 1;
    }
  }
  pushText(src.length);
  return tokens;
}

/** The name without its namespace prefix: "dc:title" → "title". */
export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/** The text content of every element with the given local name, in document order. */
export function elementTexts(tokens: MarkupToken[], name: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let parts: string[] = [];
  for (const t of tokens) {
    if (t.type === 'open' && localName(t.name) === name && !t.selfClosing) {
      if (depth++ === 0) parts = [];
    } else if (t.type === 'close' && localName(t.name) === name && depth > 0) {
      if (--depth === 0) out.push(parts.join('').replace(/\s+/g, ' ').trim());
    } else if (t.type === 'text' && depth > 0) {
      parts.push(t.text);
    }
  }
  return out;
}

function isNameStart(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f || code === 0x3a;
}

/** The index of the '>' that closes the tag at `lt`, honouring quoted attribute values. */
function tagEnd(src: string, lt: number): number {
  let quote = 0;
  for (let j = lt + 1; j < src.length; j++) {
    const c = src.charCodeAt(j);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) {
      quote = c;
    } else if (c === 0x3e) {
      return j;
    } else if (c === 0x3c) {
      return -1;
    }
  }
  return -1;
}

function parseTag(body: string): MarkupToken {
  if (body.startsWith('/')) return { type: 'close', name: body.slice(1).trim().toLowerCase() };
  const selfClosing = body.endsWith('/');
  const inner = selfClosing ? body.slice(0, -1) : body;
  const nameMatch = /^[^\s/>]+/.exec(inner);
  const name = (nameMatch?.[0] ?? '').toLowerCase();
  const attrs: Record<string, string> = {};
  const attrRe = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
  attrRe.lastIndex = name.length;
  for (let m = attrRe.exec(inner); m; m = attrRe.exec(inner)) {
    attrs[m[1].toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return { type: 'open', name, attrs, selfClosing };
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', shy: '', ensp: '\u2002',
  emsp: '\u2003', thinsp: '\u2009', zwnj: '\u200c', zwj: '\u200d', ndash: '–', mdash: '—',
  lsquo: '‘', rsquo: '’', sbquo: '‚', ldquo: '“', rdquo: '”', bdquo: '„', hellip: '…',
  laquo: '«', raquo: '»', lsaquo: '‹', rsaquo: '›', bull: '•', middot: '·', dagger: '†',
  Dagger: '‡', sect: '§', para: '¶', copy: '©', reg: '®', trade: '™', deg: '°', plusmn: '±',
  times: '×', divide: '÷', frac12: '½', frac14: '¼', frac34: '¾', euro: '€', pound: '£',
  yen: '¥', cent: '¢', prime: '′', Prime: '″', iexcl: '¡', iquest: '¿', aelig: 'æ', AElig: 'Æ',
  oelig: 'œ', OElig: 'Œ', szlig: 'ß', eacute: 'é', Eacute: 'É', egrave: 'è', Egrave: 'È',
  ecirc: 'ê', euml: 'ë', aacute: 'á', agrave: 'à', acirc: 'â', auml: 'ä', Auml: 'Ä', aring: 'å',
  ccedil: 'ç', Ccedil: 'Ç', iacute: 'í', igrave: 'ì', icirc: 'î', iuml: 'ï', ntilde: 'ñ',
  oacute: 'ó', ograve: 'ò', ocirc: 'ô', ouml: 'ö', Ouml: 'Ö', oslash: 'ø', uacute: 'ú',
  ugrave: 'ù', ucirc: 'û', uuml: 'ü', Uuml: 'Ü', yacute: 'ý', yuml: 'ÿ',
};

export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z][a-zA-Z0-9]{1,31});/g, (whole, body: string) => {
    if (body.startsWith('#')) {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\uFFFD';
      return String.fromCodePoint(code);
    }
    return NAMED_ENTITIES[body] ?? whole;
  });
}
