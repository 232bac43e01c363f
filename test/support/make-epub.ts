// Builds real EPUB 3 files with jszip (mimetype stored first, container.xml, OPF, nav, NCX,
// XHTML chapters), so the EPUB ingester is tested on the structure e-book tools produce, from
// the text of a public-domain book in the fixtures.
import JSZip from 'jszip';

export interface EpubChapterBlock {
  tag: 'h1' | 'h2' | 'p' | 'li' | 'tr';
  /** For 'tr', the cells separated by "\t". */
  text: string;
}

export interface EpubChapter {
  /** The label in the table of contents. */
  title: string;
  blocks: EpubChapterBlock[];
}

export interface EpubBook {
  title: string;
  author: string;
  chapters: EpubChapter[];
  /** List the manifest in reverse, so only the spine gives the reading order. */
  shuffleManifest?: boolean;
  /** EPUB 2 style: an NCX table of contents and no nav document. */
  ncxOnly?: boolean;
  /** Add a META-INF/encryption.xml that encrypts the chapters (as DRM does). */
  drm?: boolean;
  /** Add font obfuscation only (which is not DRM). */
  obfuscatedFont?: boolean;
}

export async function makeEpub(book: EpubBook): Promise<Uint8Array> {
  const zip = new JSZip();
  // The mimetype must be the first entry and stored uncompressed.
  zip.file('mimetype', 'application/epub+zip', { compression: 'STORE' });
  zip.file(
    'META-INF/container.xml',
    `<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>`,
  );
  const files = book.chapters.map((_, i) => `text/chapter-${String(i + 1).padStart(2, '0')}.xhtml`);
  book.chapters.forEach((chapter, i) => zip.file(`OEBPS/${files[i]}`, chapterXhtml(chapter)));

  const items = book.chapters.map(
    (_, i) => `<item id="c${i + 1}" href="${files[i]}" media-type="application/xhtml+xml"/>`,
  );
  if (book.shuffleManifest) items.reverse();
  if (!book.ncxOnly) {
    items.unshift('<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>');
    zip.file('OEBPS/nav.xhtml', navXhtml(book, files));
  }
  items.push('<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>');
  zip.file('OEBPS/toc.ncx', ncx(book, files));
  if (book.obfuscatedFont) {
    items.push('<item id="font" href="fonts/serif.otf" media-type="font/otf"/>');
    zip.file('OEBPS/fonts/serif.otf', new Uint8Array(64));
  }
  const spine = book.chapters.map((_, i) => `<itemref idref="c${i + 1}"/>`).join('\n    ');
  zip.file(
    'OEBPS/content.opf',
    `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="uid">urn:uuid:00000000-0000-4000-8000-000000000000</dc:identifier>
    <dc:title>${escapeXml(book.title)}</dc:title>
    <dc:creator>${escapeXml(book.author)}</dc:creator>
    <dc:language>en</dc:language>
    <meta property="dcterms:modified">2024-01-01T00:00:00Z</meta>
  </metadata>
  <manifest>
    ${items.join('\n    ')}
  </manifest>
  <spine toc="ncx">
    ${book.ncxOnly ? '' : '<itemref idref="nav" linear="no"/>'}
    ${spine}
  </spine>
</package>`,
  );
  if (book.drm || book.obfuscatedFont) zip.file('META-INF/encryption.xml', encryptionXml(book, files));
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

function chapterXhtml(chapter: EpubChapter): string {
  const body: string[] = [];
  let inList = false;
  let inTable = false;
  for (const block of chapter.blocks) {
    if (inList && block.tag !== 'li') body.push('</ul>');
    if (inTable && block.tag !== 'tr') body.push('</table>');
    if (!inList && block.tag === 'li') body.push('<ul>');
    if (!inTable && block.tag === 'tr') body.push('<table>');
    inList = block.tag === 'li';
    inTable = block.tag === 'tr';
    if (block.tag === 'tr') {
      body.push(`<tr>${block.text.split('\t').map((c) => `<td>${escapeXml(c)}</td>`).join('')}</tr>`);
    } else {
      body.push(`<${block.tag}>${escapeXml(block.text)}</${block.tag}>`);
    }
  }
  if (inList) body.push('</ul>');
  if (inTable) body.push('</table>');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="en">
<head><title>${escapeXml(chapter.title)}</title><style>p { text-indent: 1em; }</style></head>
<body>
<section epub:type="chapter">
${body.join('\n')}
</section>
</body>
</html>`;
}

function navXhtml(book: EpubBook, files: string[]): string {
  const entries = book.chapters.map((c, i) => `<li><a href="${files[i]}">${escapeXml(c.title)}</a></li>`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">
<head><title>Contents</title></head>
<body>
<nav epub:type="landmarks"><ol><li><a epub:type="bodymatter" href="${files[0]}">Start</a></li></ol></nav>
<nav epub:type="toc" id="toc"><h1>Contents</h1><ol>
${entries.join('\n')}
</ol></nav>
</body>
</html>`;
}

function ncx(book: EpubBook, files: string[]): string {
  const points = book.chapters.map(
    (c, i) =>
      `<navPoint id="p${i + 1}" playOrder="${i + 1}"><navLabel><text>${escapeXml(c.title)}</text></navLabel><content src="${files[i]}"/></navPoint>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">
  <head><meta name="dtb:uid" content="urn:uuid:00000000-0000-4000-8000-000000000000"/></head>
  <docTitle><text>${escapeXml(book.title)}</text></docTitle>
  <navMap>
    ${points.join('\n    ')}
  </navMap>
</ncx>`;
}

function encryptionXml(book: EpubBook, files: string[]): string {
  const data: string[] = [];
  if (book.obfuscatedFont) {
    data.push(`<enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.idpf.org/2008/embedding"/>
  <enc:CipherData><enc:CipherReference URI="OEBPS/fonts/serif.otf"/></enc:CipherData></enc:EncryptedData>`);
  }
  if (book.drm) {
    for (const file of files) {
      data.push(`<enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>
  <enc:CipherData><enc:CipherReference URI="OEBPS/${file}"/></enc:CipherData></enc:EncryptedData>`);
    }
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
${data.join('\n')}
</encryption>`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The first stories of The Adventures of Sherlock Holmes (Project Gutenberg text) as chapters:
 * the story title as h1, its part numbers ("I.") as h2, paragraphs unwrapped.
 */
export function sherlockChapters(gutenbergText: string, count: number): EpubChapter[] {
  const text = gutenbergText.replace(/\r\n/g, '\n');
  const start = text.indexOf('\n', text.indexOf('*** START OF'));
  const end = text.indexOf('*** END OF');
  const groups = text
    .slice(start, end)
    .split(/\n\s*\n/)
    .map((g) => g.trim().replace(/\s*\n\s*/g, ' '))
    .filter((g) => g.length > 0);
  const chapters: EpubChapter[] = [];
  for (const group of groups) {
    const story = /^([IVX]+)\. ([A-Z][A-Z ’'-]+)$/.exec(group);
    if (story) {
      if (chapters.length === count) break;
      const title = story[2].toLowerCase().replace(/(^|[\s-])\p{L}/gu, (c) => c.toUpperCase());
      chapters.push({ title, blocks: [{ tag: 'h1', text: group }] });
    } else if (chapters.length > 0) {
      chapters[chapters.length - 1].blocks.push({ tag: /^[IVX]+\.$/.test(group) ? 'h2' : 'p', text: group });
    }
  }
  return chapters;
}
