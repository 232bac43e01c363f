// DOCX, EPUB, text and Markdown as flowing text: the blocks Lectern extracted, headings as
// headings, one text node a block so that character offsets map to the DOM directly.
import { forwardRef, useImperativeHandle, useRef } from 'react';
import type { DocumentBlock, DocumentText } from '../../../common/types.js';
import { contentLanguage } from '../i18n.js';
import { CITATION_HIGHLIGHT, FIND_HIGHLIGHT, offsetRange, paint, type OffsetBlock } from './highlight.js';
import type { DocumentPane } from './pane.js';

function Block({ b }: { b: DocumentBlock }) {
  const props = { 'data-start': b.start, 'data-end': b.end, className: `block ${b.kind}` };
  if (b.kind === 'heading') {
    const level = Math.min(6, Math.max(2, b.level + 1));
    const H = `h${level}` as 'h2';
    return <H {...props}>{b.text}</H>;
  }
  return <p {...props}>{b.text}</p>;
}

export const TextPane = forwardRef<DocumentPane, { text: DocumentText }>(function TextPane({ text }, ref) {
  const scroller = useRef<HTMLDivElement>(null);
  const lang = contentLanguage(text.blocks.slice(0, 20).map((b) => b.text).join(' '));

  const blocks = (): OffsetBlock[] =>
    [...(scroller.current?.querySelectorAll<HTMLElement>('[data-start]') ?? [])].map((element) => ({
      start: Number(element.dataset.start),
      end: Number(element.dataset.end),
      element,
    }));

  const scrollTo = (el: Element) => el.scrollIntoView({ block: 'center' });

  useImperativeHandle(ref, () => ({
    location: () => ({ page: null, scrollTop: scroller.current?.scrollTop ?? 0 }),
    restore: (loc) => {
      if (scroller.current) scroller.current.scrollTop = loc.scrollTop;
    },
    goToPage: () => {},
    goToOffset: (offset) => {
      const b = blocks().find((x) => x.end > offset);
      if (b) b.element.scrollIntoView({ block: 'start' });
    },
    showCitation: async (c) => {
      const range = offsetRange(blocks(), c.start, c.end);
      if (range === null) return false;
      paint(CITATION_HIGHLIGHT, [range]);
      const el = range.startContainer.parentElement;
      if (el) scrollTo(el);
      return null;
    },
    find: async (query, again) => {
      const q = query.toLowerCase();
      const found: Range[] = [];
      for (const b of blocks()) {
        const node = b.element.firstChild;
        if (!(node instanceof Text) || q === '') continue;
        const hay = node.data.toLowerCase();
        for (let i = hay.indexOf(q); i >= 0; i = hay.indexOf(q, i + q.length)) {
          const r = document.createRange();
          r.setStart(node, i);
          r.setEnd(node, i + q.length);
          found.push(r);
        }
      }
      paint(FIND_HIGHLIGHT, found);
      const el = scroller.current;
      const current = again && el ? Number(el.dataset.findIndex ?? '-1') + 1 : 0;
      const index = found.length === 0 ? -1 : current % found.length;
      if (el) el.dataset.findIndex = String(index);
      if (index >= 0) {
        const parent = found[index].startContainer.parentElement;
        if (parent) scrollTo(parent);
      }
      return { total: found.length, current: index + 1 };
    },
    clearFind: () => paint(FIND_HIGHLIGHT, []),
  }));

  return (
    <div className="text-pane" ref={scroller} tabIndex={0} lang={lang} data-testid="document-scroller">
      <article className="flowing">
        <h1 className="doc-title">{text.title}</h1>
        {text.blocks.map((b) => (
          <Block key={b.start} b={b} />
        ))}
      </article>
    </div>
  );
});
