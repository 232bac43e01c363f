// The library: every document with its kind, pages and reading status (live progress with an
// ETA for the ones being added or read), a filter, and adding by file picker or by drop.
import { useId, useRef, useState } from 'react';
import type { DocumentInfo } from '../../../common/types.js';
import { contentLanguage, formatDuration, useI18n } from '../i18n.js';
import type { Activity, LibraryState } from './use-library.js';

const ACCEPT = '.pdf,.docx,.epub,.txt,.md,.markdown,application/pdf';

function ProgressCell({ activity }: { activity: Activity }) {
  const { t, lang } = useI18n();
  if (activity.error !== null) return <span role="alert" className="error">{t('readingFailed', { message: activity.error })}</span>;
  const p = activity.progress;
  const pct = p && p.total > 0 ? Math.floor((100 * p.done) / p.total) : 0;
  const label = p?.stage === 'reading' ? t('readingPct', { pct }) : t('ingesting', { pct });
  return (
    <span className="progress-cell">
      <progress max={100} value={pct} aria-label={label} />
      <span>{label}</span>
      {p?.etaMs != null && <span className="muted"> · {t('eta', { time: formatDuration(p.etaMs, lang) })}</span>}
    </span>
  );
}

function statusOf(doc: DocumentInfo, t: ReturnType<typeof useI18n>['t']): string {
  if (doc.reading === null) return t('notRead');
  if (doc.reading.status === 'done') return t('read');
  // A reading in the store that this window is not running was stopped (cancelled, or the app
  // closed): it continues from its last checkpoint when read again.
  return t('stoppedAt', { pct: Math.floor((100 * doc.reading.tokensDone) / Math.max(1, doc.reading.tokensTotal)) });
}

export function LibraryView({ library, onOpen }: { library: LibraryState; onOpen: (id: string) => void }) {
  const { t } = useI18n();
  const [filter, setFilter] = useState('');
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const filterId = useId();
  const q = filter.trim().toLowerCase();
  const shown = library.documents.filter(
    (d) => q === '' || d.title.toLowerCase().includes(q) || (d.fileName ?? '').toLowerCase().includes(q) || d.format === q,
  );
  const activityOf = (id: string) => library.activities.find((a) => a.key === id);
  const pendingAdds = library.activities.filter((a) => a.key.startsWith('pending:'));

  return (
    <section
      className={`library${dragging ? ' dragging' : ''}`}
      aria-labelledby="library-heading"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        void library.addFiles([...e.dataTransfer.files]);
      }}
    >
      <div className="toolbar">
        <h1 id="library-heading">{t('library')}</h1>
        <label htmlFor={filterId} className="visually-hidden">{t('filter')}</label>
        <input id={filterId} type="search" placeholder={t('filter')} value={filter} onChange={(e) => setFilter(e.target.value)} />
        <button type="button" className="primary" onClick={() => input.current?.click()}>{t('addDocuments')}</button>
        <input
          ref={input}
          type="file"
          multiple
          accept={ACCEPT}
          hidden
          data-testid="file-input"
          aria-label={t('addDocuments')}
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            void library.addFiles(files);
          }}
        />
      </div>
      {library.loadError !== null && <p role="alert" className="error">{t('error', { message: library.loadError })}</p>}
      <p className="drop-hint" aria-hidden={!dragging}>{t('dropHere')}</p>
      {pendingAdds.length > 0 && (
        <ul className="pending" aria-label={t('status')}>
          {pendingAdds.map((a) => (
            <li key={a.key}>
              <strong>{a.fileName}</strong> <ProgressCell activity={a} />
            </li>
          ))}
        </ul>
      )}
      {library.documents.length === 0 && pendingAdds.length === 0 ? (
        <p className="empty">{t('noDocuments')}</p>
      ) : (
        <table className="documents">
          <thead>
            <tr>
              <th scope="col">{t('title')}</th>
              <th scope="col">{t('kind')}</th>
              <th scope="col">{t('pages')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col"><span className="visually-hidden">{t('open')}</span></th>
            </tr>
          </thead>
          <tbody>
            {shown.map((d) => {
              const activity = activityOf(d.id);
              return (
                <tr key={d.id} data-document-id={d.id}>
                  <td lang={contentLanguage(d.title)}>
                    <button type="button" className="link" onClick={() => onOpen(d.id)} aria-label={t('openNamed', { title: d.title })}>{d.title}</button>
                  </td>
                  <td>{d.format.toUpperCase()}</td>
                  <td>{d.pages ?? '—'}</td>
                  <td data-testid="status">{activity ? <ProgressCell activity={activity} /> : statusOf(d, t)}</td>
                  <td className="actions">
                    {!activity && d.reading?.status !== 'done' && (
                      <button type="button" onClick={() => void library.read(d.id)}>{d.reading?.status === 'reading' ? t('resume') : t('readNow')}</button>
                    )}
                    {activity && activity.error === null && (
                      <button type="button" onClick={() => library.cancel(d.id)}>{t('cancel')}</button>
                    )}
                    <button type="button" onClick={() => void library.remove(d.id)} aria-label={t('removeNamed', { title: d.title })}>{t('remove')}</button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
