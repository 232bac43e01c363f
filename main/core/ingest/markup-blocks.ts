// Walks HTML/XHTML (mammoth's DOCX rendering, EPUB chapters) into reading-order blocks:
// headings with their level, paragraphs, one list block per item, one table block per row
// (cells joined with " | "). Nested tables are flattened into the cell that holds them.
import type { BlockKind } from '../document.js';
import { tokenizeMarkup, type MarkupToken } from './markup.js';

export interface MarkupBlock {
  kind: BlockKind;
  level: number;
  text: string;
}

export interface MarkupContent {
  blocks: MarkupBlock[];
  /** Footnotes and endnotes as mammoth renders them (list items with id "footnote-N"). */
  notes: string[];
}

const SKIPPED = new Set(['head', 'title', 'template', 'noscript', 'svg', 'math', 'object', 'iframe', 'rt', 'rp']);
const BLOCK = new Set([
  'p', 'div', 'blockquote', 'pre', 'section', 'article', 'aside', 'header', 'footer', 'main', 'nav',
  'figure', 'figcaption', 'caption', 'address', 'center', 'details', 'summary', 'dl', 'dt', 'dd',
  'hr', 'body', 'html', 'form', 'fieldset', 'legend', 'hgroup',
]);
const NOTE_ID = /^(footnote|endnote)-/;
const NOTE_BACKLINK = /^#(footnote|endnote)-ref-/;

export function markupToBlocks(src: string): MarkupContent {
  return new BlockWalker().walk(tokenizeMarkup(src));
}

interface TableFrame {
  cells: string[] | null;
  cell: string[] | null;
  /** Tables opened inside one of this table's cells, flattened into that cell. */
  nested: number;
}

class BlockWalker {
  private readonly blocks: MarkupBlock[] = [];
  private readonly notes: string[] = [];
  private buffer: string[] = [];
  private heading = 0;
  private inItem = 0;
  private inNote = false;
  private pre = 0;
  private skip = 0;
  private skipLink = 0;
  private readonly tables: TableFrame[] = [];

  walk(tokens: MarkupToken[]): MarkupContent {
    for (const token of tokens) {
      if (token.type === 'text') this.text(token.text);
      else if (token.type === 'open') this.open(token.name, token.attrs, token.selfClosing);
      else this.close(token.name);
    }
    this.flush();
    return { blocks: this.blocks, notes: this.notes };
  }

  private get table(): TableFrame | undefined {
    return this.tables[this.tables.length - 1];
  }

  private text(raw: string): void {
    if (this.skip > 0 || this.skipLink > 0) return;
    this.append(this.pre > 0 ? raw : raw.replace(/\s+/g, ' '));
  }

  private append(text: string): void {
    const table = this.table;
    if (table) {
      if (table.cell) table.cell.push(text);
      else if (text.trim()) this.buffer.push(text);
      return;
    }
    this.buffer.push(text);
  }

  private open(name: string, attrs: Record<string, string>, selfClosing: boolean): void {
    if (SKIPPED.has(name)) {
      if (!selfClosing) this.skip++;
      return;
    }
    if (this.skip > 0) return;
    if (name === 'a' && NOTE_BACKLINK.test(attrs.href ?? '')) {
      if (!selfClosing) this.skipLink++;
      return;
    }
    if (name === 'br') return this.append('\n');
    if (name === 'img') return;
    const table = this.table;
    if (table?.cell) return this.openInsideCell(name, table);
    switch (name) {
      case 'table':
        this.flush();
        this.tables.push({ cells: null, cell: null, nested: 0 });
        return;
      case 'tr':
        if (table) table.cells = [];
        return;
      case 'td':
      case 'th':
        if (table) {
          table.cells ??= [];
          table.cell = [];
        }
        return;
      case 'ul':
      case 'ol':
        this.flush();
        return;
      case 'li':
        this.flush();
        this.inItem++;
        if (NOTE_ID.test(attrs.id ?? '')) this.inNote = true;
        return;
      case 'pre':
        this.flush();
        this.pre++;
        return;
    }
    const level = headingLevel(name);
    if (level) {
      this.flush();
      this.heading = level;
      return;
    }
    if (BLOCK.has(name) && !selfClosing) {
      // Paragraphs inside a list item belong to the item.
      if (this.inItem > 0 && this.heading === 0) this.buffer.push(' ');
      else this.flush();
    }
  }

  private openInsideCell(name: string, table: TableFrame): void {
    const cell = table.cell as string[];
    if (name === 'table') table.nested++;
    else if (name === 'tr' && table.nested > 0) cell.push('; ');
    else if ((name === 'td' || name === 'th') && table.nested > 0) cell.push(' ');
    else if (name === 'li' || BLOCK.has(name) || headingLevel(name)) cell.push(' ');
  }

  private close(name: string): void {
    if (SKIPPED.has(name)) {
      if (this.skip > 0) this.skip--;
      return;
    }
    if (this.skip > 0) return;
    if (name === 'a' && this.skipLink > 0) {
      this.skipLink--;
      return;
    }
    const table = this.table;
    if (table && (table.nested > 0 || (table.cell && name !== 'td' && name !== 'th' && name !== 'tr' && name !== 'table'))) {
      if (name === 'table' && table.nested > 0) table.nested--;
      else table.cell?.push(' ');
      return;
    }
    switch (name) {
      case 'td':
      case 'th':
        if (table?.cell) {
          table.cells?.push(cleanText(table.cell.join('')).replace(/\n/g, ' '));
          table.cell = null;
        }
        return;
      case 'tr':
        if (table) this.endRow(table);
        return;
      case 'table':
        if (table) {
          this.endRow(table);
          this.tables.pop();
        }
        return;
      case 'ul':
      case 'ol':
        this.flush();
        return;
      case 'li':
        this.flush();
        if (this.inItem > 0) this.inItem--;
        if (this.inItem === 0) this.inNote = false;
        return;
      case 'pre':
        this.flush();
        if (this.pre > 0) this.pre--;
        return;
    }
    if (headingLevel(name)) {
      this.flush();
      this.heading = 0;
      return;
    }
    if (BLOCK.has(name)) {
      if (this.inItem > 0 && this.heading === 0) this.buffer.push(' ');
      else this.flush();
    }
  }

  private endRow(table: TableFrame): void {
    if (table.cell) {
      table.cells?.push(cleanText(table.cell.join('')));
      table.cell = null;
    }
    // Empty cells (signature lines, spacer columns) carry nothing a reader can use.
    const cells = (table.cells ?? []).filter((c) => c.length > 0);
    table.cells = null;
    if (cells.length > 0) {
      this.blocks.push({ kind: 'table', level: 0, text: cells.join(' | ') });
    }
  }

  private flush(): void {
    const text = cleanText(this.buffer.join(''));
    this.buffer = [];
    if (!text) return;
    if (this.inNote) {
      this.notes.push(text);
    } else if (this.heading > 0) {
      this.blocks.push({ kind: 'heading', level: this.heading, text });
    } else if (this.inItem > 0) {
      this.blocks.push({ kind: 'list', level: 0, text });
    } else {
      this.blocks.push({ kind: 'paragraph', level: 0, text });
    }
  }
}

function headingLevel(name: string): number {
  return /^h[1-6]$/.test(name) ? Number(name[1]) : 0;
}

function cleanText(text: string): string {
  return text
    .replace(/[ \t\u00a0]*\n[ \t\u00a0]*/g, '\n')
    .replace(/\n{2,}/g, '\n')
    .replace(/[ \t]+/g, ' ')
    .trim();
}
