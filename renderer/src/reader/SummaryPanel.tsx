// The summary beside the page: overview, outline and key facts, each item with its citation.
import { useEffect } from 'react';
import type { Citation, Summary } from '../../../common/types.js';
import { asLecternError, useApi } from '../api-context.js';
import { contentLanguage, useI18n } from '../i18n.js';
import { CitationChip } from './CitationChip.js';
import type { Load } from './panel-state.js';

export function SummaryPanel({ documentId, state, setState, onShow }: {
  documentId: string;
  state: Load<Summary>;
  setState: (s: Load<Summary>) => void;
  onShow: (c: Citation) => void;
}) {
  const api = useApi();
  const { t } = useI18n();

  useEffect(() => {
    if (state.kind !== 'idle') return;
    setState({ kind: 'loading' });
    api.summarize(documentId).then(
      (value) => setState({ kind: 'done', value }),
      (e: unknown) => {
        const err = asLecternError(e);
        setState(err.code === 'unavailable' ? { kind: 'unavailable' } : { kind: 'error', message: err.message });
      },
    );
  }, [api, documentId, state.kind, setState]);

  if (state.kind === 'loading' || state.kind === 'idle') return <p aria-live="polite">{t('loading')}</p>;
  if (state.kind === 'unavailable') return <p className="unavailable" data-testid="summary-unavailable">{t('notYetAvailable')}</p>;
  if (state.kind === 'error') return <p role="alert" className="error">{t('error', { message: state.message })}</p>;
  const s = state.value;
  const lang = contentLanguage(s.overview.map((x) => x.text).join(' '));
  return (
    <div className="summary" lang={lang}>
      <h3>{t('overview')}</h3>
      <ul>
        {s.overview.map((x) => (
          <li key={x.citation.start}>
            {x.text} <CitationChip citation={x.citation} onShow={onShow} />
          </li>
        ))}
      </ul>
      <h3>{t('outline')}</h3>
      <ul>
        {s.outline.map((o) => (
          <li key={o.start}>
            <strong>{o.heading}</strong>
            <ul>
              {o.sentences.map((x) => (
                <li key={x.citation.start}>
                  {x.text} <CitationChip citation={x.citation} onShow={onShow} />
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      {s.facts.length > 0 && (
        <>
          <h3>{t('keyFacts')}</h3>
          <dl>
            {s.facts.map((f) => (
              <div key={f.key}>
                <dt>{f.label}</dt>
                <dd>
                  {f.value} {f.citation && <CitationChip citation={f.citation} onShow={onShow} />}
                </dd>
              </div>
            ))}
          </dl>
        </>
      )}
    </div>
  );
}
