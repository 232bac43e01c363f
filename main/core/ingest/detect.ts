// What a file is, decided by its content. The name never decides PDF, DOCX or EPUB (a PDF
// named .docx is a PDF); its extension only breaks a tie between Markdown and plain text.
import type { DocumentKind } from '../document.js';
import { rejections } from '../errors.js';
import { decodeSample, detectEncoding, SAMPLE_BYTES } from './encoding.js';
import { isZip, listZipEntries, readZipEntry, type ZipEntry } from './zip-entries.js';

export type DetectedFormat = DocumentKind;

export function detectFormat(bytes: Uint8Array, fileName?: string): DetectedFormat {
  if (bytes.length === 0) throw rejections.empty();
  if (findAscii(bytes, '%PDF-', 1024) >= 0) return 'pdf';
  if (isZip(bytes)) return detectZip(bytes);
  if (isCompoundFile(bytes)) return detectCompoundFile(bytes);
  const known = knownBinary(bytes);
  if (known) throw rejections.unsupported(known);
  return detectText(bytes, fileName);
}

function detectZip(bytes: Uint8Array): DetectedFormat {
  const entries = listZipEntries(bytes);
  if (entries.length === 0) throw rejections.corrupt('damaged ZIP archive');
  const byName = new Map(entries.map((e) => [e.name, e]));
  const text = (name: string): string => {
    const entry = byName.get(name);
    const data = entry ? readZipEntry(bytes, entry) : null;
    return data ? new TextDecoder().decode(data) : '';
  };
  if (byName.has('word/document.xml')) return 'docx';
  const mimetype = text('mimetype').trim();
  if (mimetype === 'application/epub+zip' || byName.has('META-INF/container.xml')) return 'epub';
  const contentTypes = byName.has('[Content_Types].xml') ? text('[Content_Types].xml') : '';
  if (contentTypes.includes('wordprocessingml.document.main')) return 'docx';
  throw rejections.unsupported(nameOtherZip(entries, mimetype, contentTypes));
}

function nameOtherZip(entries: ZipEntry[], mimetype: string, contentTypes: string): string {
  const has = (prefix: string) => entries.some((e) => e.name.startsWith(prefix));
  if (contentTypes.includes('spreadsheetml') || has('xl/')) return 'spreadsheet (xlsx)';
  if (contentTypes.includes('presentationml') || has('ppt/')) return 'presentation (pptx)';
  if (contentTypes.includes('drawingml') || has('visio/')) return 'drawing (Office Open XML)';
  const odf: Record<string, string> = {
    'application/vnd.oasis.opendocument.text': 'OpenDocument text (odt)',
    'application/vnd.oasis.opendocument.spreadsheet': 'OpenDocument spreadsheet (ods)',
    'application/vnd.oasis.opendocument.presentation': 'OpenDocument presentation (odp)',
    'application/vnd.oasis.opendocument.graphics': 'OpenDocument drawing (odg)',
  };
  if (odf[mimetype]) return odf[mimetype];
  if (mimetype.startsWith('application/vnd.oasis.opendocument')) return 'OpenDocument file';
  if (has('META-INF/MANIFEST.MF')) return 'Java archive (jar)';
  if (has('AndroidManifest.xml')) return 'Android package (apk)';
  return 'ZIP archive';
}

/** The OLE2 compound-file signature (legacy Office files, and encrypted Office Open XML). */
export function isCompoundFile(bytes: Uint8Array): boolean {
  return startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
}

/**
 * An OLE2 compound file is either a password-protected Office Open XML document (its
 * "EncryptedPackage" stream; reported as DOCX so the DOCX ingester can say "encrypted") or a
 * legacy binary Office file. Stream names are stored in UTF-16LE in the directory sectors.
 */
function detectCompoundFile(bytes: Uint8Array): DetectedFormat {
  const contains = (name: string) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(Buffer.from(name, 'utf16le'));
  if (contains('EncryptedPackage')) return 'docx';
  if (contains('WordDocument')) throw rejections.unsupported('Word 97-2003 .doc');
  if (contains('Workbook') || contains('Book')) throw rejections.unsupported('Excel 97-2003 .xls');
  if (contains('PowerPoint Document')) throw rejections.unsupported('PowerPoint 97-2003 .ppt');
  if (contains('__substg1.0_')) throw rejections.unsupported('Outlook message (.msg)');
  throw rejections.unsupported('OLE2 compound file');
}

const MAGIC: Array<{ at: number; bytes: number[] | string; name: string }> = [
  { at: 0, bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], name: 'image (PNG)' },
  { at: 0, bytes: [0xff, 0xd8, 0xff], name: 'image (JPEG)' },
  { at: 0, bytes: 'GIF87a', name: 'image (GIF)' },
  { at: 0, bytes: 'GIF89a', name: 'image (GIF)' },
  { at: 0, bytes: [0x49, 0x49, 0x2a, 0x00], name: 'image (TIFF)' },
  { at: 0, bytes: [0x4d, 0x4d, 0x00, 0x2a], name: 'image (TIFF)' },
  { at: 8, bytes: 'WEBP', name: 'image (WebP)' },
  { at: 4, bytes: 'ftypheic', name: 'image (HEIC)' },
  { at: 4, bytes: 'ftyp', name: 'video or audio (MP4/MOV)' },
  { at: 8, bytes: 'WAVE', name: 'audio (WAV)' },
  { at: 8, bytes: 'AVI ', name: 'video (AVI)' },
  { at: 0, bytes: 'OggS', name: 'audio or video (Ogg)' },
  { at: 0, bytes: 'fLaC', name: 'audio (FLAC)' },
  { at: 0, bytes: 'ID3', name: 'audio (MP3)' },
  { at: 0, bytes: [0x1a, 0x45, 0xdf, 0xa3], name: 'video (Matroska/WebM)' },
  { at: 0, bytes: '{\\rtf', name: 'RTF document' },
  { at: 0, bytes: [0x7f, 0x45, 0x4c, 0x46], name: 'executable (ELF)' },
  { at: 0, bytes: [0xcf, 0xfa, 0xed, 0xfe], name: 'executable (Mach-O)' },
  { at: 0, bytes: [0xca, 0xfe, 0xba, 0xbe], name: 'executable (Mach-O or Java class)' },
  { at: 0, bytes: [0x00, 0x61, 0x73, 0x6d], name: 'WebAssembly module' },
  { at: 0, bytes: [0x1f, 0x8b], name: 'gzip archive' },
  { at: 0, bytes: [0x42, 0x5a, 0x68], name: 'bzip2 archive' },
  { at: 0, bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], name: 'xz archive' },
  { at: 0, bytes: [0x28, 0xb5, 0x2f, 0xfd], name: 'zstd archive' },
  { at: 0, bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], name: '7-Zip archive' },
  { at: 0, bytes: 'Rar!\x1a\x07', name: 'RAR archive' },
  { at: 257, bytes: 'ustar', name: 'tar archive' },
  { at: 0, bytes: 'SQLite format 3\x00', name: 'SQLite database' },
  { at: 0, bytes: 'PK\x05\x06', name: 'empty ZIP archive' },
  { at: 0, bytes: 'MZ', name: 'executable (Windows)' },
  { at: 0, bytes: 'BM', name: 'image (BMP)' },
  { at: 0, bytes: '%!PS', name: 'PostScript' },
  { at: 0, bytes: 'AT&TFORM', name: 'DjVu document' },
  { at: 0, bytes: 'ITSF', name: 'Windows help (CHM)' },
  { at: 60, bytes: 'BOOKMOBI', name: 'Kindle e-book (MOBI/AZW)' },
];

// Two-letter magics also begin ordinary text ("BMW…", "MZ…"): they name the type only when the
// file is not text anyway.
const WEAK = new Set(['executable (Windows)', 'image (BMP)', 'bzip2 archive', 'audio (MP3)']);

function knownBinary(bytes: Uint8Array): string | null {
  for (const magic of MAGIC) {
    const sig = typeof magic.bytes === 'string' ? Array.from(magic.bytes, (c) => c.charCodeAt(0)) : magic.bytes;
    if (!startsWith(bytes, sig, magic.at)) continue;
    if (WEAK.has(magic.name) && controlByteShare(bytes.subarray(0, 4096)) < 0.02) continue;
    return magic.name;
  }
  return null;
}

function detectText(bytes: Uint8Array, fileName: string | undefined): DetectedFormat {
  const guess = detectEncoding(bytes);
  // Binary data decodes "successfully" as Windows-1252, so control bytes are counted on the
  // raw bytes; UTF-16 is judged on its decoded characters instead.
  if (guess.encoding !== 'utf-16le' && guess.encoding !== 'utf-16be' && controlByteShare(bytes.subarray(0, 65536)) > 0.01) {
    throw rejections.unsupported('binary data');
  }
  const sample = decodeSample(bytes, guess);
  const wholeFile = bytes.length - guess.bomLength <= SAMPLE_BYTES;
  if (wholeFile && sample.trim().length === 0) throw rejections.empty();
  if (controlCharShare(sample.slice(0, 65536)) > 0.01 || sample.includes('\u0000')) {
    throw rejections.unsupported('binary data');
  }
  if (/^\s*<(!doctype\s+html|html[\s>])/i.test(sample)) throw rejections.unsupported('HTML web page');
  return markdownOrText(sample, fileName);
}

/**
 * Markdown when its syntax is dense enough to be deliberate; plain text when it carries a
 * Project Gutenberg banner or no Markdown at all; the extension decides only in between.
 */
export function markdownOrText(sample: string, fileName?: string): 'md' | 'txt' {
  if (/\*\*\* ?START OF (THE|THIS) PROJECT GUTENBERG/i.test(sample)) return 'txt';
  const lines = sample.split(/\r\n|\r|\n/);
  let nonEmpty = 0;
  let score = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    nonEmpty++;
    if (/^ {0,3}#{1,6}[ \t]+\S/.test(line)) score += 3;
    if (/^ {0,3}(```|~~~)/.test(line)) score += 3;
    if (/^\s*\|?\s*:?-{3,}:?\s*\|/.test(line)) score += 3;
    if (/!?\[[^\]\n]+\]\([^)\s]+(\s+"[^"]*")?\)/.test(line)) score += 2;
    if (/^ {0,3}(=+|-+)\s*$/.test(line) && i > 0 && lines[i - 1].trim() !== '' && !/^ {0,3}#/.test(lines[i - 1])) score += 2;
    if (/^\s{0,3}[-*+]\s+\S/.test(line)) score += 0.5;
    if (/(\*\*|__)\S[^*_]*\S\1/.test(line) || /`[^`\s][^`]*`/.test(line)) score += 0.5;
    if (/^\s{0,3}>\s/.test(line)) score += 0.5;
  }
  if (score >= 6 && score / Math.max(1, nonEmpty) >= 0.01) return 'md';
  const ext = /\.([^./\\]+)$/.exec(fileName ?? '')?.[1]?.toLowerCase();
  if (ext === 'md' || ext === 'markdown' || ext === 'mdown' || ext === 'mkd') return 'md';
  return 'txt';
}

/** A C0 control other than tab, LF, FF, CR and ESC, or DEL: what text files do not hold. */
function isControl(code: number): boolean {
  return (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0c && code !== 0x0d && code !== 0x1b) || code === 0x7f;
}

function controlByteShare(bytes: Uint8Array): number {
  if (bytes.length === 0) return 0;
  let control = 0;
  for (const b of bytes) if (isControl(b)) control++;
  return control / bytes.length;
}

function controlCharShare(text: string): number {
  if (text.length === 0) return 0;
  let control = 0;
  for (let i = 0; i < text.length; i++) if (isControl(text.charCodeAt(i))) control++;
  return control / text.length;
}

function startsWith(bytes: Uint8Array, sig: number[], at = 0): boolean {
  if (bytes.length < at + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (bytes[at + i] !== sig[i]) return false;
  return true;
}

function findAscii(bytes: Uint8Array, needle: string, within: number): number {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, within)).indexOf(needle, 0, 'latin1');
}
