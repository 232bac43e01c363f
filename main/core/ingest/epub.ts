// EPUB 2 and 3: container.xml → package document (OPF) → spine order; each chapter's XHTML
// walked into blocks; chapter titles from the navigation document (EPUB 3) or the NCX (EPUB 2)
// where the chapter has no heading of its own.
import { posix } from 'node:path';
import JSZip from 'jszip';
import { DocumentBuilder, type Document } from '../document.js';
import { rejections, throwIfAborted } from '../errors.js';
import { decodeText } from './encoding.js';
import { elementTexts, localName, tokenizeMarkup, type MarkupToken } from './markup.js';
import { markupToBlocks, type MarkupBlock } from './markup-blocks.js';

export interface EpubOptions {
  onProgress?: (chaptersDone: number, chaptersTotal: number) => void;
  signal?: AbortSignal;
}

interface ManifestItem {
  id: string;
  path: string;
  mediaType: string;
  properties: string[];
}

// Font obfuscation is listed in encryption.xml too, but it hides no text.
const FONT_OBFUSCATION = new Set(['http://www.idpf.org/2008/embedding', 'http://ns.adobe.com/pdf/enc#RC']);

export async function ingestEpub(bytes: Uint8Array, options: EpubOptions = {}): Promise<Document> {
  const zip = await JSZip.loadAsync(bytes);
  const read = async (path: string) => {
    const file = zip.file(path) ?? zip.file(new RegExp(`^${escapeRegExp(path)}$`, 'i'))[0];
    return file ? decodeText(await file.async('uint8array')) : null;
  };
  const encryption = await read('META-INF/encryption.xml');
  if (encryption && hidesText(encryption)) throw rejections.encrypted();

  const opfPath = await findPackagePath(zip, await read('META-INF/container.xml'));
  const opfText = opfPath ? await read(opfPath) : null;
  if (!opfPath || opfText === null) throw rejections.corrupt('EPUB without a package document');
  const opf = tokenizeMarkup(opfText);
  const base = posix.dirname(opfPath);
  const manifest = readManifest(opf, base);
  const spine = readSpine(opf, manifest);
  const labels = await readTocLabels(opf, manifest, read);

  const builder = new DocumentBuilder();
  const chapters = spine.filter((item) => !item.properties.includes('nav') && /html|xml/.test(item.mediaType));
  for (const [index, item] of chapters.entries()) {
    throwIfAborted(options.signal);
    const xhtml = await read(item.path);
    if (xhtml !== null) {
      const { blocks } = markupToBlocks(xhtml);
      const label = labels.get(item.path);
      // A cover or image page has no text: its toc label alone would be an empty section.
      if (label && blocks.length > 0 && !hasOwnTitle(blocks[0], label)) builder.add({ kind: 'heading', level: 1, page: null, text: label });
      for (const block of blocks) builder.add({ kind: block.kind, level: block.level, page: null, text: block.text });
    }
    options.onProgress?.(index + 1, chapters.length);
  }
  const title = elementTexts(opf, 'title').find((t) => t.length > 0) ?? '';
  const creators = elementTexts(opf, 'creator').filter((t) => t.length > 0);
  return builder.build({ kind: 'epub', title, author: creators.length > 0 ? creators.join(', ') : null, pages: null });
}

/** A chapter that opens with a top-level heading, or one naming it as the toc does, needs no label. */
function hasOwnTitle(first: MarkupBlock | undefined, label: string): boolean {
  if (first?.kind !== 'heading') return false;
  const norm = (t: string) => t.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  const [a, b] = [norm(first.text), norm(label)].sort((x, y) => x.length - y.length);
  return first.level === 1 || a === b || (a.length >= 4 && b.includes(a));
}

function hidesText(encryptionXml: string): boolean {
  const tokens = tokenizeMarkup(encryptionXml);
  return tokens.some(
    (t) => t.type === 'open' && localName(t.name) === 'encryptionmethod' && !FONT_OBFUSCATION.has(t.attrs.algorithm ?? ''),
  );
}

async function findPackagePath(zip: JSZip, container: string | null): Promise<string | null> {
  if (container) {
    for (const t of tokenizeMarkup(container)) {
      if (t.type === 'open' && localName(t.name) === 'rootfile' && t.attrs['full-path']) {
        const path = decodePath(t.attrs['full-path']);
        if (zip.file(path)) return path;
      }
    }
  }
  return Object.keys(zip.files).find((name) => name.toLowerCase().endsWith('.opf')) ?? null;
}

function readManifest(opf: MarkupToken[], base: string): Map<string, ManifestItem> {
  const items = new Map<string, ManifestItem>();
  for (const t of opf) {
    if (t.type !== 'open' || localName(t.name) !== 'item' || !t.attrs.id || !t.attrs.href) continue;
    items.set(t.attrs.id, {
      id: t.attrs.id,
      path: resolveHref(base, t.attrs.href),
      mediaType: (t.attrs['media-type'] ?? '').toLowerCase(),
      properties: (t.attrs.properties ?? '').split(/\s+/),
    });
  }
  return items;
}

function readSpine(opf: MarkupToken[], manifest: Map<string, ManifestItem>): ManifestItem[] {
  const spine: ManifestItem[] = [];
  for (const t of opf) {
    if (t.type !== 'open' || localName(t.name) !== 'itemref') continue;
    const item = manifest.get(t.attrs.idref ?? '');
    if (item) spine.push(item);
  }
  return spine;
}

/** The first table-of-contents label that points at each chapter file. */
async function readTocLabels(
  opf: MarkupToken[],
  manifest: Map<string, ManifestItem>,
  read: (path: string) => Promise<string | null>,
): Promise<Map<string, string>> {
  const items = [...manifest.values()];
  const nav = items.find((i) => i.properties.includes('nav'));
  if (nav) {
    const text = await read(nav.path);
    if (text) return navLabels(tokenizeMarkup(text), posix.dirname(nav.path));
  }
  const spineToc = opf.find((t) => t.type === 'open' && localName(t.name) === 'spine');
  const tocId = spineToc?.type === 'open' ? spineToc.attrs.toc : undefined;
  const ncx = (tocId && manifest.get(tocId)) || items.find((i) => i.mediaType === 'application/x-dtbncx+xml');
  if (ncx) {
    const text = await read(ncx.path);
    if (text) return ncxLabels(tokenizeMarkup(text), posix.dirname(ncx.path));
  }
  return new Map();
}

function navLabels(tokens: MarkupToken[], base: string): Map<string, string> {
  const isTocNav = (t: MarkupToken) =>
    t.type === 'open' && t.name === 'nav' && (t.attrs['epub:type'] ?? '').split(/\s+/).includes('toc');
  // The nav marked as the toc; in a careless file without the mark, the first nav.
  const wantMark = tokens.some(isTocNav);
  const labels = new Map<string, string>();
  let depth = 0;
  let tocDepth = 0;
  let href: string | null = null;
  let text: string[] = [];
  for (const t of tokens) {
    if (t.type === 'open' && t.name === 'nav' && !t.selfClosing) {
      depth++;
      if (tocDepth === 0 && labels.size === 0 && (!wantMark || isTocNav(t))) tocDepth = depth;
    } else if (t.type === 'close' && t.name === 'nav') {
      if (depth === tocDepth) break;
      depth--;
    } else if (tocDepth > 0 && t.type === 'open' && t.name === 'a' && t.attrs.href) {
      href = resolveHref(base, t.attrs.href);
      text = [];
    } else if (href && t.type === 'text') {
      text.push(t.text);
    } else if (href && t.type === 'close' && t.name === 'a') {
      const label = text.join('').replace(/\s+/g, ' ').trim();
      if (label && !labels.has(href)) labels.set(href, label);
      href = null;
    }
  }
  return labels;
}

function ncxLabels(tokens: MarkupToken[], base: string): Map<string, string> {
  const labels = new Map<string, string>();
  let inLabel = false;
  let label: string[] = [];
  for (const t of tokens) {
    const name = t.type === 'text' ? '' : localName(t.name);
    if (t.type === 'open' && name === 'navlabel') {
      inLabel = true;
      label = [];
    } else if (t.type === 'close' && name === 'navlabel') {
      inLabel = false;
    } else if (inLabel && t.type === 'text') {
      label.push(t.text);
    } else if (t.type === 'open' && name === 'content' && t.attrs.src) {
      const path = resolveHref(base, t.attrs.src);
      const text = label.join('').replace(/\s+/g, ' ').trim();
      if (text && !labels.has(path)) labels.set(path, text);
    }
  }
  return labels;
}

function resolveHref(base: string, href: string): string {
  const path = decodePath(href.split('#')[0]);
  return posix.normalize(posix.join(base, path)).replace(/^(\.\/)+/, '');
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
