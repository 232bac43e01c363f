// Boxes drawn with asterisks around a passage of plain text, as licences set their warranty
// disclaimers:
//
//   ************************************************************************
//   *  6. Disclaimer of Warranty                                           *
//   *  -------------------------                                           *
//   ************************************************************************
//
// Left in place, every line of the box reads as a Markdown bullet ("*  6. Disclaimer…") or a
// rule. The frame goes and the inside stays, dedented, between blank lines.

/** A border: a run of asterisks alone on its line, long enough not to be a Markdown rule. */
const BORDER = /^[ \t]*\*{20,}[ \t]*$/;
/** A line inside the frame: starts and ends with an asterisk. */
const FRAMED = /^[ \t]*\*(.*)\*[ \t]*$/;

export function unboxText(body: string): string {
  if (!body.includes('*'.repeat(20))) return body;
  const lines = body.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!BORDER.test(lines[i])) {
      out.push(lines[i]);
      continue;
    }
    // A box: framed lines up to a closing border, with at least one line inside.
    let j = i + 1;
    while (j < lines.length && !BORDER.test(lines[j]) && FRAMED.test(lines[j])) j++;
    if (j === i + 1 || j >= lines.length || !BORDER.test(lines[j])) {
      out.push(lines[i]);
      continue;
    }
    const inside = lines.slice(i + 1, j).map((l) => (FRAMED.exec(l) as RegExpExecArray)[1].replace(/[ \t]+$/, ''));
    const indent = Math.min(...inside.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length));
    out.push('', ...inside.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)), '');
    i = j;
  }
  return out.join('\n');
}
