// The document's sections (a heading and the blocks up to the next heading of any level) and
// how a span of its text is cited, through the same locator as search (text/locate.ts): the page
// of the quote's first character where the format has pages (a paragraph may run onto the next
// page), and always the heading path and the paragraph's number under its heading, so that
// documents without pages (DOCX, text, Markdown, EPUB) still say where a quote is.
import type { Citation } from '../../../common/types.js';
import type { Block, Document } from '../document.js';
import { layoutOf, Locator } from '../text/locate.js';

export interface Section {
  index: number;
  /** The heading block's index in doc.blocks; -1 for the text before the first heading. */
  headingBlock: number;
  heading: string | null;
  level: number;
  /** Heading texts from the outermost level down, joined with " › "; null before any heading. */
  path: string | null;
  /** Blocks of the body: [firstBlock, endBlock) in doc.blocks, the heading excluded. */
  firstBlock: number;
  endBlock: number;
}

export interface Structure {
  doc: Document;
  sections: Section[];
  /** Section index of each block. */
  blockSection: Int32Array;
  /** 1-based number of each body block within its section (0 for headings). */
  blockParagraph: Int32Array;
  locator: Locator;
}

const PATH_SEPARATOR = ' › ';

export function structureOf(doc: Document): Structure {
  const sections: Section[] = [];
  const blockSection = new Int32Array(doc.blocks.length);
  const blockParagraph = new Int32Array(doc.blocks.length);
  const open: Block[] = [];
  let current: Section = { index: 0, headingBlock: -1, heading: null, level: 0, path: null, firstBlock: 0, endBlock: 0 };
  let paragraph = 0;
  doc.blocks.forEach((block, i) => {
    if (block.kind === 'heading') {
      current.endBlock = i;
      if (current.headingBlock >= 0 || current.endBlock > current.firstBlock) sections.push(current);
      while (open.length > 0 && open[open.length - 1].level >= block.level) open.pop();
      open.push(block);
      current = {
        index: sections.length,
        headingBlock: i,
        heading: block.text,
        level: block.level,
        path: open.map((b) => oneLine(b.text)).join(PATH_SEPARATOR),
        firstBlock: i + 1,
        endBlock: i + 1,
      };
      paragraph = 0;
      blockSection[i] = current.index;
      return;
    }
    blockSection[i] = current.index;
    blockParagraph[i] = ++paragraph;
  });
  current.endBlock = doc.blocks.length;
  if (current.headingBlock >= 0 || current.endBlock > current.firstBlock) sections.push(current);
  return { doc, sections, blockSection, blockParagraph, locator: new Locator(layoutOf(doc)) };
}

/** A citation of doc.text[start, end): the quote is exactly that slice. */
export function cite(structure: Structure, start: number, end: number, score = 1): Citation {
  const at = structure.locator.locate(start);
  return {
    page: at.page,
    section: at.sectionPath.length === 0 ? null : at.sectionPath.map(oneLine).join(PATH_SEPARATOR),
    paragraph: at.paragraph,
    quote: structure.doc.text.slice(start, end),
    start,
    end,
    score,
  };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
