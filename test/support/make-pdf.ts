// A tiny, dependency-free PDF writer for tests and benchmarks: N pages of generated prose in
// Helvetica, one or two columns, optional running header, footer and page numbers, optional
// line-end hyphenation, and optional RC4 encryption (user and/or owner password). It returns
// the paragraphs as laid out so a test can compare what an ingester reads with what was written.
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { seededRandom } from './seeded-random.js';

export interface PdfSpec {
  pages: number;
  columns?: 1 | 2;
  /** Running header at the top of every page; "{page}" becomes the page number. */
  header?: string;
  /** Running footer at the bottom of every page; "{page}" becomes the page number. */
  footer?: string;
  /** A bare page number centred at the bottom of every page. */
  pageNumbers?: boolean;
  /** Split long words that do not fit at a line end with a hyphen. */
  hyphenate?: boolean;
  title?: string;
  author?: string;
  /** Encrypt when either password is given (RC4 40-bit, standard security handler R2). */
  userPassword?: string;
  ownerPassword?: string;
  seed?: number;
  /** 1-based pages whose content stream is a dangling reference (the page reads as empty). */
  missingContents?: number[];
  /** 1-based pages written as something other than a page dictionary (pdf.js throws on them). */
  brokenPages?: number[];
}

export interface WrittenParagraph {
  /** 1-based page on which the paragraph starts. */
  page: number;
  text: string;
}

export interface MadePdf {
  bytes: Uint8Array;
  paragraphs: WrittenParagraph[];
}

const PAGE_W = 612;
const PAGE_H = 792;
const MARGIN = 72;
const GUTTER = 24;
const FONT_SIZE = 10;
const LEADING = 13;
const INDENT = 14;

// Helvetica advance widths (AFM, 1/1000 em) for codes 32–126, written into the font dictionary
// so pdf.js and this writer agree on where every word ends.
const WIDTHS = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
  556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
  611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
  667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
  222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

const VOCABULARY = (
  'the reader of a long document wants answers with citations and every claim should point to ' +
  'a page where the evidence lives because memory fails and summaries drift over hundreds of ' +
  'chapters so extraction must keep order columns headers footers paragraphs and headings ' +
  'intact while ignoring furniture printed on every page like running titles and folios ' +
  'responsibility interoperability documentation extraordinary characterisation ' +
  'implementation notwithstanding acknowledgement infrastructure representation'
).split(' ');

function textWidth(text: string, size: number): number {
  let units = 0;
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    units += code >= 32 && code <= 126 ? WIDTHS[code - 32] : 556;
  }
  return (units * size) / 1000;
}

function makeParagraph(random: () => number, serial: number): string[] {
  const words: string[] = [`Paragraph`, `${serial}`, 'begins', 'here.'];
  const sentences = 2 + Math.floor(random() * 4);
  for (let s = 0; s < sentences; s++) {
    const length = 8 + Math.floor(random() * 12);
    for (let w = 0; w < length; w++) {
      let word = VOCABULARY[Math.floor(random() * VOCABULARY.length)];
      if (w === 0) word = word[0].toUpperCase() + word.slice(1);
      if (w === length - 1) word += '.';
      words.push(word);
    }
  }
  return words;
}

interface PlacedLine {
  x: number;
  y: number;
  text: string;
}

interface Frame {
  x: number;
  width: number;
}

/** Lays generated paragraphs into the frames of every page; returns the lines per page. */
function layOut(spec: PdfSpec): { pages: PlacedLine[][]; paragraphs: WrittenParagraph[] } {
  const random = seededRandom(spec.seed ?? 1);
  const columns = spec.columns ?? 1;
  const frameWidth = (PAGE_W - 2 * MARGIN - (columns - 1) * GUTTER) / columns;
  const frames: Frame[] = Array.from({ length: columns }, (_, i) => ({
    x: MARGIN + i * (frameWidth + GUTTER),
    width: frameWidth,
  }));
  const top = PAGE_H - MARGIN;
  const linesPerFrame = Math.floor((PAGE_H - 2 * MARGIN) / LEADING);
  const pages: PlacedLine[][] = [];
  const paragraphs: WrittenParagraph[] = [];
  let pending: string[] = [];
  let placed: string[] = [];
  let firstLine = true;
  let serial = 0;
  for (let p = 1; p <= spec.pages; p++) {
    const lines: PlacedLine[] = [];
    for (const frame of frames) {
      for (let row = 0; row < linesPerFrame; row++) {
        if (pending.length === 0) {
          serial += 1;
          pending = makeParagraph(random, serial);
          placed = [];
          firstLine = true;
          paragraphs.push({ page: p, text: '' });
        }
        const indent = firstLine ? INDENT : 0;
        const room = frame.width - indent;
        const words: string[] = [];
        while (pending.length > 0) {
          const candidate = [...words, pending[0]].join(' ');
          if (textWidth(candidate, FONT_SIZE) <= room) {
            words.push(pending.shift() as string);
            continue;
          }
          const word = pending[0];
          if (spec.hyphenate && word.length >= 8 && /^[a-z]+$/.test(word)) {
            // Break as late as fits, keeping at least three letters on each side.
            for (let cut = word.length - 3; cut >= 3; cut--) {
              const head = word.slice(0, cut) + '-';
              if (textWidth([...words, head].join(' '), FONT_SIZE) <= room) {
                words.push(head);
                pending[0] = word.slice(cut);
                break;
              }
            }
          }
          break;
        }
        if (words.length === 0) words.push(pending.shift() as string);
        lines.push({ x: frame.x + indent, y: top - row * LEADING, text: words.join(' ') });
        placed.push(...words);
        paragraphs[paragraphs.length - 1].text = placed.join(' ').replace(/-\s/g, '');
        firstLine = false;
      }
    }
    pages.push(lines);
  }
  return { pages, paragraphs };
}

function escapePdfString(text: string): string {
  return text.replace(/[\\()]/g, (c) => `\\${c}`);
}

function pageContent(lines: PlacedLine[], spec: PdfSpec, page: number): string {
  const ops: string[] = ['BT', `/F1 ${FONT_SIZE} Tf`];
  for (const line of lines) {
    ops.push(`1 0 0 1 ${line.x.toFixed(2)} ${line.y.toFixed(2)} Tm (${escapePdfString(line.text)}) Tj`);
  }
  const furniture = (text: string, y: number, centre: boolean) => {
    const body = text.replace('{page}', String(page));
    const x = centre ? (PAGE_W - textWidth(body, 9)) / 2 : MARGIN;
    ops.push(`/F1 9 Tf 1 0 0 1 ${x.toFixed(2)} ${y} Tm (${escapePdfString(body)}) Tj`);
  };
  if (spec.header) furniture(spec.header, PAGE_H - 40, false);
  if (spec.footer) furniture(spec.footer, 40, false);
  if (spec.pageNumbers) furniture(String(page), 24, true);
  ops.push('ET');
  return ops.join('\n');
}

// --- RC4 encryption, standard security handler revision 2 (PDF 32000-1 §7.6.3) ---

const PASSWORD_PAD = Buffer.from(
  '28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a',
  'hex',
);

function md5(...parts: Buffer[]): Buffer {
  const hash = createHash('md5');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

function rc4(key: Buffer, data: Buffer): Buffer {
  const s = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i] + key[i % key.length]) & 255;
    [s[i], s[j]] = [s[j], s[i]];
  }
  const out = Buffer.alloc(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 255;
    j = (j + s[i]) & 255;
    [s[i], s[j]] = [s[j], s[i]];
    out[n] = data[n] ^ s[(s[i] + s[j]) & 255];
  }
  return out;
}

function padPassword(password: string): Buffer {
  return Buffer.concat([Buffer.from(password, 'latin1'), PASSWORD_PAD]).subarray(0, 32);
}

interface Encryption {
  key: Buffer;
  dictionary: string;
}

function makeEncryption(user: string, owner: string, fileId: Buffer): Encryption {
  const permissions = -64; // no printing, copying, editing or annotating
  const o = rc4(md5(padPassword(owner || user)).subarray(0, 5), padPassword(user));
  const p = Buffer.alloc(4);
  p.writeInt32LE(permissions);
  const key = md5(padPassword(user), o, p, fileId).subarray(0, 5);
  const u = rc4(key, PASSWORD_PAD);
  const dictionary =
    `<< /Filter /Standard /V 1 /R 2 /Length 40 /P ${permissions} ` +
    `/O <${o.toString('hex')}> /U <${u.toString('hex')}> >>`;
  return { key, dictionary };
}

function objectKey(key: Buffer, objectNumber: number): Buffer {
  const suffix = Buffer.from([objectNumber & 255, (objectNumber >> 8) & 255, (objectNumber >> 16) & 255, 0, 0]);
  return md5(key, suffix).subarray(0, Math.min(key.length + 5, 16));
}

/** Writes the PDF described by `spec`. */
export function makePdf(spec: PdfSpec): MadePdf {
  const { pages, paragraphs } = layOut(spec);
  const fileId = md5(Buffer.from(JSON.stringify(spec)));
  const encrypted = spec.userPassword !== undefined || spec.ownerPassword !== undefined;
  const encryption = encrypted ? makeEncryption(spec.userPassword ?? '', spec.ownerPassword ?? '', fileId) : null;
  const seal = (objectNumber: number, data: Buffer): Buffer =>
    encryption ? rc4(objectKey(encryption.key, objectNumber), data) : data;

  const objects: Buffer[] = [];
  const pageRefs: string[] = [];
  const firstPageObject = 5;
  pages.forEach((lines, i) => {
    const pageNumber = firstPageObject + 2 * i;
    const contentNumber = pageNumber + 1;
    pageRefs.push(`${pageNumber} 0 R`);
    const stream = seal(contentNumber, deflateSync(Buffer.from(pageContent(lines, spec, i + 1), 'latin1')));
    const contents = spec.missingContents?.includes(i + 1) ? 9999 : contentNumber;
    const page =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_W} ${PAGE_H}] ` +
      `/Resources << /Font << /F1 3 0 R >> >> /Contents ${contents} 0 R >>`;
    objects[pageNumber] = Buffer.from(spec.brokenPages?.includes(i + 1) ? '42' : page);
    objects[contentNumber] = Buffer.concat([
      Buffer.from(`<< /Length ${stream.length} /Filter /FlateDecode >>\nstream\n`),
      stream,
      Buffer.from('\nendstream'),
    ]);
  });
  objects[1] = Buffer.from('<< /Type /Catalog /Pages 2 0 R >>');
  objects[2] = Buffer.from(`<< /Type /Pages /Kids [${pageRefs.join(' ')}] /Count ${pages.length} >>`);
  objects[3] = Buffer.from(
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding ' +
      `/FirstChar 32 /LastChar 126 /Widths [${WIDTHS.join(' ')}] >>`,
  );
  const info: string[] = [];
  if (spec.title) info.push(`/Title <${seal(4, Buffer.from(spec.title, 'latin1')).toString('hex')}>`);
  if (spec.author) info.push(`/Author <${seal(4, Buffer.from(spec.author, 'latin1')).toString('hex')}>`);
  objects[4] = Buffer.from(`<< ${info.join(' ')} >>`);
  const encryptNumber = objects.length;
  if (encryption) objects[encryptNumber] = Buffer.from(encryption.dictionary);

  const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = chunks[0].length;
  const offsets: number[] = [];
  for (let n = 1; n < objects.length; n++) {
    offsets[n] = offset;
    const chunk = Buffer.concat([Buffer.from(`${n} 0 obj\n`), objects[n], Buffer.from('\nendobj\n')]);
    chunks.push(chunk);
    offset += chunk.length;
  }
  const xref = [`xref\n0 ${objects.length}\n`, '0000000000 65535 f \n'];
  for (let n = 1; n < objects.length; n++) xref.push(`${String(offsets[n]).padStart(10, '0')} 00000 n \n`);
  const id = fileId.toString('hex');
  const trailer =
    `trailer\n<< /Size ${objects.length} /Root 1 0 R /Info 4 0 R /ID [<${id}> <${id}>]` +
    (encryption ? ` /Encrypt ${encryptNumber} 0 R` : '') +
    ` >>\nstartxref\n${offset}\n%%EOF\n`;
  chunks.push(Buffer.from(xref.join('') + trailer));
  return { bytes: new Uint8Array(Buffer.concat(chunks)), paragraphs };
}
