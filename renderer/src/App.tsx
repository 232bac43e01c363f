// The app's frame: a header (views, language) and one view at a time: the library, a document,
// or settings. Per-document memory (summary, questions asked) lives here so that leaving a
// document and coming back keeps its history.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Citation, DeviceChoice } from '../../common/types.js';
import { useApi } from './api-context.js';
import { I18n, initialLanguage, rememberLanguage, translator, type UiLanguage } from './i18n.js';
import { LibraryView } from './library/LibraryView.js';
import { useLibrary } from './library/use-library.js';
import { ReaderView, type ReaderMemory } from './reader/ReaderView.js';
import { SettingsView } from './settings/SettingsView.js';

type View = { kind: 'library' } | { kind: 'settings' } | { kind: 'reader'; id: string };

const EMPTY_MEMORY: ReaderMemory = { summary: { kind: 'idle' }, history: [] };

export function App() {
  const api = useApi();
  const [lang, setLang] = useState<UiLanguage>(initialLanguage);
  const [view, setView] = useState<View>({ kind: 'library' });
  const [device, setDevice] = useState<DeviceChoice | undefined>(undefined);
  const [memories, setMemories] = useState<Record<string, ReaderMemory>>({});
  const [pending, setPending] = useState<Citation | null>(null);
  const library = useLibrary(api, device);
  const i18n = useMemo(() => ({ lang, t: translator(lang) }), [lang]);
  const t = i18n.t;

  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = t('appName');
  }, [lang, t]);

  useEffect(() => {
    api.getSettings().then((s) => setDevice(s.device), () => undefined);
  }, [api]);

  const open = useCallback((id: string) => setView({ kind: 'reader', id }), []);
  const doc = view.kind === 'reader' ? library.documents.find((d) => d.id === view.id) : undefined;
  const onPendingDone = useCallback(() => setPending(null), []);
  // Stable callbacks: the reader (memoised) is not drawn again for every progress event of a
  // reading, which changes the library's state four times a second.
  const docId = doc?.id;
  const setMemory = useCallback(
    (f: (m: ReaderMemory) => ReaderMemory) => {
      if (docId !== undefined) setMemories((m) => ({ ...m, [docId]: f(m[docId] ?? EMPTY_MEMORY) }));
    },
    [docId],
  );
  const onOpenOther = useCallback(
    (id: string, c: Citation) => {
      setPending(c);
      open(id);
    },
    [open],
  );
  const onClose = useCallback(() => setView({ kind: 'library' }), []);

  return (
    <I18n.Provider value={i18n}>
      <header className="app-header">
        <span className="brand">{t('appName')}</span>
        <nav aria-label={t('appName')}>
          <button type="button" aria-current={view.kind === 'library' ? 'page' : undefined} onClick={() => setView({ kind: 'library' })}>{t('library')}</button>
          <button type="button" aria-current={view.kind === 'settings' ? 'page' : undefined} onClick={() => setView({ kind: 'settings' })}>{t('settings')}</button>
        </nav>
        <label className="lang-switch">
          <span className="visually-hidden">{t('language')}</span>
          <select
            value={lang}
            aria-label={t('language')}
            onChange={(e) => {
              const l = e.target.value as UiLanguage;
              rememberLanguage(l);
              setLang(l);
            }}
          >
            <option value="en" lang="en">English</option>
            <option value="zh" lang="zh-CN">中文</option>
          </select>
        </label>
      </header>
      <div className="app-body">
        {view.kind === 'library' && <LibraryView library={library} onOpen={open} />}
        {view.kind === 'settings' && <SettingsView onSaved={(s) => setDevice(s.device)} />}
        {view.kind === 'reader' && doc && (
          <ReaderView
            key={doc.id}
            doc={doc}
            memory={memories[doc.id] ?? EMPTY_MEMORY}
            setMemory={setMemory}
            pending={pending}
            onPendingDone={onPendingDone}
            onOpenOther={onOpenOther}
            onClose={onClose}
          />
        )}
      </div>
    </I18n.Provider>
  );
}
