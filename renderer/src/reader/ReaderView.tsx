// One document: its outline, the page (pdf.js or flowing text), and the summary and questions
// beside it. Jumps (outline, citations, go to page) are kept in a back/forward history; the
// keyboard reaches everything (Ctrl+F find, Ctrl+G go to page, Ctrl+L ask, Alt+←/→ history).
import { memo, useCallback, useEffect, useId, useRef, useState } from 'react';
import type { Citation, DocumentInfo, DocumentText, Summary } from '../../../common/types.js';
import { asLecternError, useApi } from '../api-context.js';
import { contentLanguage, useI18n } from '../i18n.js';
import { AskPanel, type Exchange } from './AskPanel.js';
import { download, toMarkdown } from './export-markdown.js';
import type { DocumentPane, PaneLocation } from './pane.js';
import type { Load } from './panel-state.js';
import { PdfPane } from './PdfPane.js';
import { SummaryPanel } from './SummaryPanel.js';
import { TextPane } from './TextPane.js';

export interface ReaderMemory {
  summary: Load<Summary>;
  history: Exchange[];
}

/** Memoised: the app's state changes with every progress event of a reading in the library. */
export const ReaderView = memo(function ReaderView({ doc, memory, setMemory, pending, onPendingDone, onOpenOther, onClose }: {
  doc: DocumentInfo;
  memory: ReaderMemory;
  setMemory: (f: (m: ReaderMemory) => ReaderMemory) => void;
  /** A citation to show once the document is open (from a library-wide answer). */
  pending: Citation | null;
  onPendingDone: () => void;
  onOpenOther: (documentId: string, c: Citation) => void;
  onClose: () => void;
}) {
  const api = useApi();
  const { t } = useI18n();
  const pane = useRef<DocumentPane>(null);
  const askInput = useRef<HTMLInputElement>(null);
  const findInput = useRef<HTMLInputElement>(null);
  const pageInput = useRef<HTMLInputElement>(null);
  const [text, setText] = useState<DocumentText | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<'summary' | 'ask'>('ask');
  const [page, setPage] = useState(1);
  const [past, setPast] = useState<PaneLocation[]>([]);
  const [future, setFuture] = useState<PaneLocation[]>([]);
  const [findOpen, setFindOpen] = useState(false);
  const [findQuery, setFindQuery] = useState('');
  const [findStatus, setFindStatus] = useState('');
  const [announcement, setAnnouncement] = useState('');
  const ids = { page: useId(), find: useId(), tabs: useId() };
  const isPdf = doc.format === 'pdf';

  useEffect(() => {
    let live = true;
    api.getText(doc.id).then(
      (x) => live && setText(x),
      (e: unknown) => live && setError(asLecternError(e).message),
    );
    return () => {
      live = false;
    };
  }, [api, doc.id]);

  const remember = useCallback(() => {
    const here = pane.current?.location();
    if (here) {
      setPast((p) => [...p.slice(-49), here]);
      setFuture([]);
    }
  }, []);

  const show = useCallback(
    async (c: Citation) => {
      if (c.documentId !== undefined && c.documentId !== doc.id) return onOpenOther(c.documentId, c);
      remember();
      const at = pane.current ? await pane.current.showCitation(c) : false;
      const quote = c.quote.length > 120 ? `${c.quote.slice(0, 117)}…` : c.quote;
      setAnnouncement(at === false ? t('quoteNotFound') : at === null ? t('highlightedText', { quote }) : t('highlighted', { page: at, quote }));
    },
    [doc.id, onOpenOther, remember, t],
  );

  const paneReady = text !== null;
  useEffect(() => {
    if (pending === null || !paneReady) return;
    const timer = setTimeout(() => {
      void show(pending).then(onPendingDone);
    }, 300);
    return () => clearTimeout(timer);
  }, [pending, paneReady, show, onPendingDone]);

  const back = useCallback(() => {
    const here = pane.current?.location();
    setPast((p) => {
      const to = p[p.length - 1];
      if (!to || !here) return p;
      setFuture((f) => [here, ...f]);
      pane.current?.restore(to);
      return p.slice(0, -1);
    });
  }, []);

  const forward = useCallback(() => {
    const here = pane.current?.location();
    setFuture((f) => {
      const to = f[0];
      if (!to || !here) return f;
      setPast((p) => [...p, here]);
      pane.current?.restore(to);
      return f.slice(1);
    });
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        setFindOpen(true);
        setTimeout(() => findInput.current?.focus(), 0);
      } else if (mod && e.key.toLowerCase() === 'g' && isPdf) {
        e.preventDefault();
        pageInput.current?.focus();
        pageInput.current?.select();
      } else if (mod && e.key.toLowerCase() === 'l') {
        e.preventDefault();
        setTab('ask');
        setTimeout(() => askInput.current?.focus(), 0);
      } else if (e.altKey && e.key === 'ArrowLeft') {
        e.preventDefault();
        back();
      } else if (e.altKey && e.key === 'ArrowRight') {
        e.preventDefault();
        forward();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [isPdf, back, forward]);

  const headings = text?.blocks.filter((b) => b.kind === 'heading') ?? [];
  const titleLang = contentLanguage(doc.title);

  const runFind = async (again: boolean) => {
    const r = (await pane.current?.find(findQuery, again)) ?? { total: 0, current: 0 };
    setFindStatus(r.total === 0 ? t('noMatches') : `${r.current > 0 ? `${r.current}/` : ''}${t('matches', { n: r.total })}`);
  };

  return (
    <section className="reader" aria-label={doc.title}>
      <div className="toolbar reader-toolbar">
        <button type="button" onClick={onClose}>← {t('backToLibrary')}</button>
        <h1 lang={titleLang} className="reader-title">{doc.title}</h1>
        <button type="button" onClick={back} disabled={past.length === 0} aria-label={t('back')} title={`${t('back')} (Alt+←)`}>‹</button>
        <button type="button" onClick={forward} disabled={future.length === 0} aria-label={t('forward')} title={`${t('forward')} (Alt+→)`}>›</button>
        {isPdf && (
          <form
            className="page-form"
            onSubmit={(e) => {
              e.preventDefault();
              const n = Number(pageInput.current?.value);
              if (Number.isInteger(n)) {
                remember();
                pane.current?.goToPage(n);
              }
            }}
          >
            <label htmlFor={ids.page}>{t('goToPage')}</label>
            <input id={ids.page} ref={pageInput} type="number" min={1} max={doc.pages ?? undefined} defaultValue={page} key={page} className="page-input" aria-describedby={`${ids.page}-of`} />
            <span id={`${ids.page}-of`} className="muted" data-testid="page-status">{t('pageOf', { page, pages: doc.pages ?? '?' })}</span>
          </form>
        )}
        <button type="button" onClick={() => download(`${doc.title.slice(0, 80) || 'lectern'}.md`, toMarkdown(doc.title, memory.summary.kind === 'done' ? memory.summary.value : null, memory.history))}>
          {t('exportMarkdown')}
        </button>
      </div>
      {findOpen && (
        <form
          className="find-bar"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            void runFind(true);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              setFindOpen(false);
              pane.current?.clearFind();
            }
          }}
        >
          <label htmlFor={ids.find}>{t('find')}</label>
          <input id={ids.find} ref={findInput} type="search" value={findQuery} onChange={(e) => setFindQuery(e.target.value)} onBlur={() => findQuery && void runFind(false)} />
          <button type="submit">{t('findNext')}</button>
          <span aria-live="polite" data-testid="find-status">{findStatus}</span>
          <button
            type="button"
            onClick={() => {
              setFindOpen(false);
              pane.current?.clearFind();
            }}
          >
            {t('close')}
          </button>
        </form>
      )}
      {error !== null && <p role="alert" className="error">{t('error', { message: error })}</p>}
      <div className="reader-body">
        <nav className="outline" aria-label={t('outline')}>
          <h2>{t('outline')}</h2>
          {headings.length === 0 ? (
            <p className="muted">{t('noOutline')}</p>
          ) : (
            <ul lang={titleLang}>
              {headings.slice(0, 500).map((h) => (
                <li key={h.start} style={{ paddingInlineStart: `${(Math.min(h.level, 4) - 1) * 0.8}rem` }}>
                  <button
                    type="button"
                    className="link"
                    lang={contentLanguage(h.text)}
                    onClick={() => {
                      remember();
                      pane.current?.goToOffset(h.start, h.page);
                    }}
                  >
                    {h.text.length > 80 ? `${h.text.slice(0, 77)}…` : h.text}
                    {h.page !== null && <span className="muted"> · {h.page}</span>}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </nav>
        <main className="page-area" aria-label={t('documentPane')}>
          {isPdf ? <PdfPane ref={pane} doc={doc} onPageChange={setPage} /> : text && <TextPane ref={pane} text={text} />}
        </main>
        <aside className="side-panel" aria-label={`${t('summary')} / ${t('ask')}`}>
          <div role="tablist" aria-label={`${t('summary')} / ${t('ask')}`} className="tabs">
            {(['summary', 'ask'] as const).map((k) => (
              <button
                key={k}
                type="button"
                role="tab"
                id={`${ids.tabs}-${k}`}
                aria-selected={tab === k}
                aria-controls={`${ids.tabs}-${k}-panel`}
                tabIndex={tab === k ? 0 : -1}
                onClick={() => setTab(k)}
                onKeyDown={(e) => {
                  if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') setTab(tab === 'ask' ? 'summary' : 'ask');
                }}
              >
                {t(k)}
              </button>
            ))}
          </div>
          <div role="tabpanel" id={`${ids.tabs}-${tab}-panel`} aria-labelledby={`${ids.tabs}-${tab}`} className="tab-panel">
            {tab === 'summary' ? (
              <SummaryPanel documentId={doc.id} state={memory.summary} setState={(summary) => setMemory((m) => ({ ...m, summary }))} onShow={(c) => void show(c)} />
            ) : (
              <AskPanel ref={askInput} documentId={doc.id} history={memory.history} setHistory={(f) => setMemory((m) => ({ ...m, history: f(m.history) }))} onShow={(c) => void show(c)} />
            )}
          </div>
        </aside>
      </div>
      <p className="visually-hidden" aria-live="polite" data-testid="announcement">{announcement}</p>
    </section>
  );
});
