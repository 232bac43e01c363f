// A PDF whose pages have no text and one of which pdf.js cannot finish drawing: a tiling pattern
// whose form XObject paints with the pattern again. pdf.js's getOperatorList recurses through it
// for ever, synchronously (the shape of pdf.js's own test file operator_list_cycle.pdf), while its
// getTextContent, which never opens patterns, returns at once. Lectern draws a page only to tell
// a scanned document from an empty one, so this exercises the per-page bound of that stage.

export interface LoopingPdfSpec {
  pages: number;
  /** 1-based page that never finishes drawing. */
  loopingPage: number;
  /** 1-based pages that draw a small image (so the document reads as scanned). */
  imagePages?: number[];
}

function stream(dictionary: string, content: string): string {
  return `<< ${dictionary} /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`;
}

export function makeLoopingPdf(spec: LoopingPdfSpec): Uint8Array {
  const objects: string[] = [];
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  // 3: the form, 4: the pattern that paints the form again.
  objects[3] = stream(
    '/Type /XObject /Subtype /Form /BBox [0 0 200 200] /Resources << /Pattern << /P1 4 0 R >> >>',
    '/Pattern cs /P1 scn 0 0 200 200 re f',
  );
  objects[4] = stream(
    '/Type /Pattern /PatternType 1 /PaintType 1 /TilingType 1 /BBox [0 0 200 200] /XStep 200 /YStep 200 /Resources << /XObject << /X1 3 0 R >> >>',
    '/X1 Do',
  );
  const kids: string[] = [];
  for (let page = 1; page <= spec.pages; page++) {
    const pageObject = objects.length;
    const contentObject = pageObject + 1;
    kids.push(`${pageObject} 0 R`);
    let content = '0 0 1 rg 72 72 100 100 re f';
    if (page === spec.loopingPage) content = '/X1 Do';
    else if (spec.imagePages?.includes(page)) content = 'q 100 0 0 100 72 72 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xff\xff\x00 EI Q';
    objects[pageObject] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /X1 3 0 R >> >> /Contents ${contentObject} 0 R >>`;
    objects[contentObject] = stream('', content);
  }
  objects[2] = `<< /Type /Pages /Kids [${kids.join(' ')}] /Count ${spec.pages} >>`;
  let out = '%PDF-1.7\n';
  const offsets: number[] = [];
  for (let n = 1; n < objects.length; n++) {
    offsets[n] = Buffer.byteLength(out, 'latin1');
    out += `${n} 0 obj\n${objects[n]}\nendobj\n`;
  }
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let n = 1; n < objects.length; n++) out += `${String(offsets[n]).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}
