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

/**
 * Takes the lines of a text one at a time and gives them back with every box unframed. A box is
 * a border, framed lines and a closing border, with at least one framed line: only its lines are
 * held until it closes or turns out not to be one.
 */
export class Unboxer {
  /** The open box: its first border and the framed lines seen since. */
  private border: string | null = null;
  private inside: string[] = [];

  constructor(private readonly emit: (line: string) => void) {}

  line(text: string): void {
    if (this.border === null) {
      if (BORDER.test(text)) this.border = text;
      else this.emit(text);
      return;
    }
    if (BORDER.test(text)) {
      // Two borders with nothing between: the first is a line, the second may open a box.
      if (this.inside.length === 0) this.emit(this.border);
      else this.emitBox();
      this.border = this.inside.length === 0 ? text : null;
      this.inside = [];
      return;
    }
    if (FRAMED.test(text)) {
      this.inside.push(text);
      return;
    }
    // Not a box after all: its lines are lines.
    this.abandon();
    this.emit(text);
  }

  finish(): void {
    if (this.border !== null) this.abandon();
  }

  private abandon(): void {
    this.emit(this.border as string);
    for (const l of this.inside) this.emit(l);
    this.border = null;
    this.inside = [];
  }

  private emitBox(): void {
    const inside = this.inside.map((l) => (FRAMED.exec(l) as RegExpExecArray)[1].replace(/[ \t]+$/, ''));
    const indents = inside.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
    // reduce, not Math.min(...): a box can have more lines than a call takes arguments.
    const indent = indents.reduce((a, b) => Math.min(a, b), Infinity);
    this.emit('');
    for (const l of inside) this.emit(l.slice(Number.isFinite(indent) ? indent : 0));
    this.emit('');
  }
}

/** The whole text unboxed (Markdown, which is parsed whole). */
export function unboxText(body: string): string {
  if (!body.includes('*'.repeat(20))) return body;
  const out: string[] = [];
  const unboxer = new Unboxer((line) => out.push(line));
  for (const line of body.split('\n')) unboxer.line(line);
  unboxer.finish();
  return out.join('\n');
}
