// A PDF through pdf.js's own viewer (pdfjs-dist/web/pdf_viewer.mjs): it renders only the pages
// near the view (a 400-page book stays light), draws the text layer a citation is painted on,
// and has find. Every asset (worker, character maps, fonts, wasm decoders) comes from the app.
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import type { DocumentInfo } from '../../../common/types.js';
import { useApi, asLecternError } from '../api-context.js';
import { useI18n } from '../i18n.js';
import { CITATION_HIGHLIGHT, findQuoteRange, paint } from './highlight.js';
import type { DocumentPane, FindResult } from './pane.js';
import { loadPdfjs, type PdfViewerKit } from './pdfjs.js';

interface Live {
  kit: PdfViewerKit;
  viewer: InstanceType<PdfViewerKit['viewer']['PDFViewer']>;
  eventBus: InstanceType<PdfViewerKit['viewer']['EventBus']>;
  findController: InstanceType<PdfViewerKit['viewer']['PDFFindController']>;
  close(): void;
}

type ViewerL10n = NonNullable<ConstructorParameters<PdfViewerKit['viewer']['PDFViewer']>[0]['l10n']>;

/**
 * In place of pdf.js's own localisation (Fluent): it translated the label of each of a book's
 * 352 pages in one animation frame, 40–50 ms of a 113 ms task while the book opened (Chrome
 * trace, 2026-12-05). The viewer shows no text of its own here (no toolbar, no annotations);
 * the pages' labels are set by the pane (labelPages).
 */
const PAGE_LABELS_ONLY = {
  getLanguage: () => 'en-us',
  getDirection: () => 'ltr',
  get: async (ids: string | string[], _args?: unknown, fallback?: string) => (Array.isArray(ids) ? ids.map(() => '') : (fallback ?? '')),
  translate: async () => undefined,
  translateOnce: async () => undefined,
  destroy: async () => undefined,
  pause: () => undefined,
  resume: () => undefined,
} as unknown as ViewerL10n;

/** Names each page region ("Page 12"): what pdf.js's localisation did, in one pass of attribute writes. */
function labelPages(root: HTMLElement, label: (page: string) => string): void {
  for (const page of root.querySelectorAll<HTMLElement>('.page[data-page-number]:not([aria-label])')) {
    page.setAttribute('aria-label', label(page.dataset.pageNumber ?? ''));
  }
}

export const PdfPane = forwardRef<DocumentPane, { doc: DocumentInfo; onPageChange: (page: number) => void }>(function PdfPane({ doc, onPageChange }, ref) {
  const api = useApi();
  const { t } = useI18n();
  const container = useRef<HTMLDivElement>(null);
  const viewerDiv = useRef<HTMLDivElement>(null);
  const live = useRef<Live | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    let cancelled = false;
    let cleanup: (() => void) | null = null;
    (async () => {
      const kit = await loadPdfjs();
      const bytes = await api.getSource(doc.id);
      if (cancelled || !container.current || !viewerDiv.current) return;
      const { EventBus, PDFLinkService, PDFFindController, PDFViewer } = kit.viewer;
      const eventBus = new EventBus();
      const linkService = new PDFLinkService({ eventBus });
      const findController = new PDFFindController({ eventBus, linkService });
      const viewer = new PDFViewer({ container: container.current, viewer: viewerDiv.current, eventBus, linkService, findController, annotationMode: 0, l10n: PAGE_LABELS_ONLY });
      linkService.setViewer(viewer);
      const base = document.baseURI;
      const task = kit.lib.getDocument({
        data: bytes,
        cMapUrl: new URL('pdfjs/cmaps/', base).href,
        cMapPacked: true,
        standardFontDataUrl: new URL('pdfjs/standard_fonts/', base).href,
        wasmUrl: new URL('pdfjs/wasm/', base).href,
        iccUrl: new URL('pdfjs/iccs/', base).href,
        // The CSP forbids eval; pdf.js would otherwise try it (and report a violation).
        isEvalSupported: false,
        enableXfa: false,
      });
      const pdf = await task.promise;
      if (cancelled) {
        void task.destroy();
        return;
      }
      eventBus.on('pagesinit', () => {
        viewer.currentScaleValue = 'page-width';
        if (viewerDiv.current) labelPages(viewerDiv.current, (page) => t('pageLabel', { page }));
        setReady(true);
      });
      eventBus.on('pagechanging', (e: { pageNumber: number }) => onPageChange(e.pageNumber));
      viewer.setDocument(pdf);
      linkService.setDocument(pdf, null);
      live.current = {
        kit,
        viewer,
        eventBus,
        findController,
        close: () => {
          viewer.cleanup();
          viewer.setDocument(null as unknown as typeof pdf);
          void task.destroy();
        },
      };
      cleanup = () => live.current?.close();
    })().catch((e: unknown) => {
      if (!cancelled) setError(asLecternError(e).message);
    });
    return () => {
      cancelled = true;
      paint(CITATION_HIGHLIGHT, []);
      cleanup?.();
      live.current = null;
    };
    // onPageChange is stable for the pane's life (the reader passes a state setter); a change of
    // language relabels nothing already labelled, as pdf.js did not either.
  }, [api, doc.id]);

  /** Resolves once the text layer of `page` is in the DOM (pdf.js draws it when the page is near the view). */
  const textLayerOf = (l: Live, page: number): Promise<HTMLElement | null> =>
    new Promise((resolve) => {
      const existing = l.viewer.getPageView(page - 1)?.textLayer?.div as HTMLElement | undefined;
      if (existing && existing.childElementCount > 0 && existing.closest('.page')?.getAttribute('data-loaded') === 'true') return resolve(existing);
      const timer = setTimeout(() => {
        l.eventBus.off('textlayerrendered', done);
        resolve((l.viewer.getPageView(page - 1)?.textLayer?.div as HTMLElement | undefined) ?? null);
      }, 10_000);
      function done(e: { pageNumber: number }) {
        if (e.pageNumber !== page) return;
        clearTimeout(timer);
        l.eventBus.off('textlayerrendered', done);
        resolve((l.viewer.getPageView(page - 1)?.textLayer?.div as HTMLElement | undefined) ?? null);
      }
      l.eventBus.on('textlayerrendered', done);
    });

  useImperativeHandle(ref, () => ({
    location: () => ({ page: live.current?.viewer.currentPageNumber ?? null, scrollTop: container.current?.scrollTop ?? 0 }),
    restore: (loc) => {
      if (container.current) container.current.scrollTop = loc.scrollTop;
    },
    goToPage: (page) => {
      const l = live.current;
      if (l && page >= 1 && page <= l.viewer.pagesCount) l.viewer.currentPageNumber = page;
    },
    goToOffset: (_offset, page) => {
      const l = live.current;
      if (l && page !== null) l.viewer.scrollPageIntoView({ pageNumber: page });
    },
    showCitation: async (c) => {
      const l = live.current;
      if (!l || c.page === null) return false;
      for (const page of [c.page, c.page + 1]) {
        if (page > l.viewer.pagesCount) break;
        // The page must be in view for pdf.js to draw its text layer.
        l.viewer.currentPageNumber = page;
        const layer = await textLayerOf(l, page);
        const range = layer ? findQuoteRange(layer, c.quote) : null;
        if (range) {
          paint(CITATION_HIGHLIGHT, [range]);
          const el = range.startContainer.parentElement;
          el?.scrollIntoView({ block: 'center' });
          return page;
        }
      }
      return false;
    },
    find: (query, again) =>
      new Promise<FindResult>((resolve) => {
        const l = live.current;
        if (!l) return resolve({ total: 0, current: 0 });
        // pdf.js reports PENDING (3) while it extracts pages' text and may report FOUND before it
        // has counted; the answer is the first count above zero, or NOT_FOUND (1).
        type Count = { current: number; total: number };
        const finish = (m: Count) => {
          l.eventBus.off('updatefindcontrolstate', onState);
          l.eventBus.off('updatefindmatchescount', onCount);
          resolve({ total: m.total, current: m.current });
        };
        const onState = (e: { state: number; matchesCount?: Count }) => {
          if (e.state === 1) finish({ current: 0, total: 0 });
          else if (e.state !== 3 && e.matchesCount && e.matchesCount.total > 0) finish(e.matchesCount);
        };
        const onCount = (e: { matchesCount: Count }) => {
          if (e.matchesCount.total > 0) finish(e.matchesCount);
        };
        l.eventBus.on('updatefindcontrolstate', onState);
        l.eventBus.on('updatefindmatchescount', onCount);
        l.eventBus.dispatch('find', { source: null, type: again ? 'again' : '', query, caseSensitive: false, entireWord: false, highlightAll: true, findPrevious: false, matchDiacritics: false });
        setTimeout(() => resolve({ total: (l.findController.pageMatches ?? []).flat().length, current: 0 }), 20_000);
      }),
    clearFind: () => live.current?.eventBus.dispatch('findbarclose', { source: null }),
  }));

  return (
    <div className="pdf-pane" data-testid="document-scroller" data-ready={ready}>
      {error !== null && <p role="alert" className="error">{t('error', { message: error })}</p>}
      <div ref={container} className="pdf-container" tabIndex={0} aria-label={t('documentPane')}>
        <div ref={viewerDiv} className="pdfViewer" />
      </div>
    </div>
  );
});
