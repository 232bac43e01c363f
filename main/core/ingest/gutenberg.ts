// Project Gutenberg's header and licence: the text between the first "*** START OF …" line and
// the last "*** END OF …" line is kept, when they are present. Several books joined into one file
// keep every book: the END lines, licences and headers between them are text of the file, and
// only its outer header and licence go (issue 18 item 6). The header's Title and Author are kept.
// Found line by line (GutenbergScan), so a file of hundreds of MB is scanned without holding it.
import type { IngestNote } from '../document-notes.js';
import { linesOf, type Line } from './text-source.js';
import { detach } from '../text/detach.js';

const START = /^\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG.*$/i;
const END = /^\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG.*$/i;

/** Where the cut falls, in lines of the normalised text, and what it removed. */
export interface GutenbergCut {
  /** Index of the first START line; null when there is none (nothing is cut). */
  startLine: number | null;
  /** Index of the last END line after it; null when there is none. */
  endLine: number | null;
  title: string | null;
  author: string | null;
  removed: IngestNote[];
}

/** A header field ("Title: …") and its continuation lines, gathered until a line ends it. */
interface Field {
  name: 'Title' | 'Author';
  lines: string[];
}

/**
 * Reads the normalised text's lines in order and says where the Gutenberg cut falls. Offsets are
 * counted as the lines go by, so the notes give the characters and lines removed.
 */
export class GutenbergScan {
  private startLine: number | null = null;
  private bodyFrom = 0;
  private endLine: number | null = null;
  private bodyTo = 0;
  private offset = 0;
  private lastLine: Line = { text: '', index: 0 };
  private readonly fields: { Title: string | null; Author: string | null } = { Title: null, Author: null };
  private field: Field | null = null;

  line(line: Line): void {
    const at = this.offset;
    this.offset += line.text.length + 1;
    this.lastLine = line;
    if (this.startLine === null) {
      if (START.test(line.text)) {
        this.closeField();
        this.startLine = line.index;
        this.bodyFrom = at + line.text.length;
        return;
      }
      this.headerLine(line.text);
    } else if (END.test(line.text)) {
      this.endLine = line.index;
      this.bodyTo = at;
    }
  }

  finish(): GutenbergCut {
    this.closeField();
    if (this.startLine === null) return { startLine: null, endLine: null, title: null, author: null, removed: [] };
    const length = this.offset - 1;
    // The line of the text's last character: the last line's, or the one before when the text ends in '\n'.
    const lastCharLine = this.lastLine.text.length > 0 ? this.lastLine.index + 1 : this.lastLine.index;
    const removed = [removal(this.bodyFrom, 'start', [1, this.startLine + 1])];
    if (this.endLine !== null) removed.push(removal(length - this.bodyTo, 'end', [this.endLine + 1, lastCharLine]));
    return { startLine: this.startLine, endLine: this.endLine, title: this.fields.Title, author: this.fields.Author, removed };
  }

  private headerLine(text: string): void {
    if (this.field !== null) {
      if (/^[ \t]+\S/.test(text)) {
        this.field.lines.push(text);
        return;
      }
      this.closeField();
    }
    for (const name of ['Title', 'Author'] as const) {
      if (this.fields[name] === null && new RegExp(`^${name}:[ \\t]*.`).test(text)) this.field = { name, lines: [text] };
    }
  }

  private closeField(): void {
    if (this.field === null) return;
    const { name, lines } = this.field;
    this.field = null;
    const m = new RegExp(`^${name}:[ \\t]*(.+(?:\\n[ \\t]+\\S.*)*)`).exec(lines.join('\n'));
    // A copy, not a slice of the whole text (which it would keep alive).
    if (m) this.fields[name] = detach(m[1].replace(/\s+/g, ' ').trim());
  }
}

function removal(chars: number, where: 'start' | 'end', lines: [number, number]): IngestNote {
  const what = where === 'start' ? 'Project Gutenberg header, up to its first "*** START OF" line' : 'Project Gutenberg licence, from its last "*** END OF" line';
  return {
    code: 'boilerplate-removed',
    message: `removed ${chars.toLocaleString('en-US')} characters of ${what} (lines ${lines[0]}–${lines[1]})`,
    where,
    chars,
    lines,
  };
}

/** The lines of the body: after the START line up to the last END line (all lines when uncut). */
export function* bodyLines(lines: Iterable<Line>, cut: GutenbergCut): Generator<string> {
  for (const line of lines) {
    if (cut.startLine === null) yield line.text;
    // The START line's own end: the body begins with the '\n' after it.
    else if (line.index === cut.startLine) yield '';
    else if (line.index > cut.startLine && (cut.endLine === null || line.index < cut.endLine)) yield line.text;
    // The END line begins where the body ends, after a '\n'.
    else if (line.index === cut.endLine) {
      yield '';
      return;
    }
  }
}

/** The whole text's cut (Markdown, which is parsed whole). */
export function cutGutenberg(text: string): GutenbergCut & { body: string } {
  const scan = new GutenbergScan();
  for (const line of linesOf([text])) scan.line(line);
  const cut = scan.finish();
  return { ...cut, body: [...bodyLines(linesOf([text]), cut)].join('\n') };
}
