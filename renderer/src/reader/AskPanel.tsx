// Questions beside the page: the answer in the document's own words with its citation chips,
// a plain "not in the document" when nothing supports one, this document's earlier questions,
// and asking across the whole library. The passages full-text search finds for the question are
// listed under an answer as well: real places in the document, labelled as search results.
import { forwardRef, useId, useState } from 'react';
import type { Answer, Citation, SearchHit } from '../../../common/types.js';
import { asLecternError, useApi } from '../api-context.js';
import { contentLanguage, useI18n } from '../i18n.js';
import { CitationChip } from './CitationChip.js';
import type { Load } from './panel-state.js';

export interface Exchange {
  question: string;
  across: boolean;
  answer: Load<Answer>;
  passages: SearchHit[];
}

function AnswerView({ x, onShow }: { x: Exchange; onShow: (c: Citation) => void }) {
  const { t } = useI18n();
  const a = x.answer;
  return (
    <article className="exchange" data-testid="exchange">
      <h3 lang={contentLanguage(x.question)}>{x.question}</h3>
      {a.kind === 'loading' && <p>{t('working')}</p>}
      {a.kind === 'unavailable' && <p className="unavailable" data-testid="ask-unavailable">{t('notYetAvailable')}</p>}
      {a.kind === 'error' && <p role="alert" className="error">{t('error', { message: a.message })}</p>}
      {a.kind === 'done' && !a.value.found && (
        <p className="not-found" data-testid="not-found">
          <strong>{t('notInDocument')}</strong>
          {a.value.reason && <> — {a.value.reason}</>}
        </p>
      )}
      {a.kind === 'done' && a.value.found && (
        <div className="answer" lang={contentLanguage(a.value.answer ?? '')} data-partial={a.value.partial}>
          <p>{a.value.answer}</p>
          <p className="chips">
            {a.value.citations.map((c) => (
              <CitationChip key={`${c.documentId ?? ''}:${c.start}`} citation={c} onShow={onShow} />
            ))}
          </p>
          {a.value.basis === 'structure' && <p className="muted">{t('partial')}</p>}
          {a.value.basis === 'search' && <p className="muted">{t('partialSearch')}</p>}
        </div>
      )}
      {/* Not after a declined answer: the decline rule found no sentence using the question's
          words, and passages that matched only its common words would blur that plain answer. */}
      {x.passages.length > 0 && !(a.kind === 'done' && !a.value.found) && (
        <details className="passages" open={a.kind !== 'done'}>
          <summary>{t('searchResultsFor', { q: x.question })}</summary>
          <ol>
            {x.passages.map((h) => (
              <li key={h.start} lang={contentLanguage(h.quote)}>
                <CitationChip citation={h} onShow={onShow} /> {h.quote}
              </li>
            ))}
          </ol>
        </details>
      )}
    </article>
  );
}

/**
 * What a screen reader is told of the latest question. Said through one live region that stays
 * in the panel: a region inserted with its text (as each answer is) is not announced.
 */
function outcomeOf(x: Exchange | undefined, t: ReturnType<typeof useI18n>['t']): string {
  const a = x?.answer;
  if (a === undefined) return '';
  if (a.kind === 'loading') return t('working');
  if (a.kind === 'unavailable') return t('notYetAvailable');
  if (a.kind === 'error') return t('error', { message: a.message });
  if (a.kind !== 'done') return '';
  if (!a.value.found) return a.value.reason ? `${t('notInDocument')} — ${a.value.reason}` : t('notInDocument');
  return t('answerWithCitations', { n: a.value.citations.length });
}

export const AskPanel = forwardRef<HTMLInputElement, {
  documentId: string;
  history: Exchange[];
  setHistory: (f: (h: Exchange[]) => Exchange[]) => void;
  onShow: (c: Citation) => void;
}>(function AskPanel({ documentId, history, setHistory, onShow }, inputRef) {
  const api = useApi();
  const { t } = useI18n();
  const [question, setQuestion] = useState('');
  const [across, setAcross] = useState(false);
  const inputId = useId();
  const acrossId = useId();

  const ask = async () => {
    const q = question.trim();
    if (q === '') return;
    setQuestion('');
    const patch = (change: Partial<Exchange>) => setHistory((h) => h.map((x) => (x.question === q && x.answer.kind === 'loading' ? { ...x, ...change } : x)));
    setHistory((h) => [{ question: q, across, answer: { kind: 'loading' }, passages: [] }, ...h]);
    const [answer, passages] = await Promise.all([
      api.ask(across ? null : documentId, q).then(
        (value): Load<Answer> => ({ kind: 'done', value }),
        (e: unknown): Load<Answer> => {
          const err = asLecternError(e);
          return err.code === 'unavailable' ? { kind: 'unavailable' } : { kind: 'error', message: err.message };
        },
      ),
      across ? Promise.resolve([]) : api.search(documentId, q, 3).catch(() => []),
    ]);
    patch({ passages });
    patch({ answer });
  };

  return (
    <div className="ask">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void ask();
        }}
      >
        <label htmlFor={inputId}>{t('question')}</label>
        <div className="ask-row">
          <input id={inputId} ref={inputRef} type="text" value={question} onChange={(e) => setQuestion(e.target.value)} autoComplete="off" />
          <button type="submit" className="primary">{t('askButton')}</button>
        </div>
        <input id={acrossId} type="checkbox" checked={across} onChange={(e) => setAcross(e.target.checked)} />
        <label htmlFor={acrossId}>{t('askAcross')}</label>
      </form>
      <p className="visually-hidden" role="status" aria-live="polite" data-testid="ask-status">{outcomeOf(history[0], t)}</p>
      {history.length > 0 && (
        <section aria-label={t('history')}>
          {history.map((x, i) => (
            <AnswerView key={`${history.length - i}`} x={x} onShow={onShow} />
          ))}
        </section>
      )}
    </div>
  );
});
