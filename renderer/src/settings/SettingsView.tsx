// Settings: the compute device (with the providers this machine offers), the model, where the
// library lives, and clearing the cache of model results.
import { useEffect, useId, useState } from 'react';
import type { DeviceChoice, EngineInfo, Settings } from '../../../common/types.js';
import { asLecternError, useApi } from '../api-context.js';
import { useI18n } from '../i18n.js';

export function SettingsView({ onSaved }: { onSaved: (s: Settings) => void }) {
  const api = useApi();
  const { t } = useI18n();
  const [info, setInfo] = useState<EngineInfo | null>(null);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [status, setStatus] = useState('');
  const ids = { device: useId(), path: useId() };

  useEffect(() => {
    Promise.all([api.info(), api.getSettings()]).then(
      ([i, s]) => {
        setInfo(i);
        setSettings(s);
      },
      (e: unknown) => setStatus(t('error', { message: asLecternError(e).message })),
    );
  }, [api, t]);

  const save = async (change: Partial<Settings>) => {
    try {
      const s = await api.updateSettings(change);
      setSettings(s);
      onSaved(s);
      setStatus(t('saved'));
    } catch (e) {
      setStatus(t('error', { message: asLecternError(e).message }));
    }
  };

  if (settings === null) return <p aria-live="polite">{status || t('loading')}</p>;
  return (
    <section className="settings" aria-labelledby="settings-heading">
      <h1 id="settings-heading">{t('settings')}</h1>
      <div className="field">
        <label htmlFor={ids.device}>{t('device')}</label>
        <select id={ids.device} value={settings.device} onChange={(e) => void save({ device: e.target.value as DeviceChoice })}>
          <option value="auto">{t('deviceAuto')}</option>
          <option value="gpu">{t('deviceGpu')}</option>
          <option value="cpu">{t('deviceCpu')}</option>
        </select>
        {info && <p className="muted">{t('providers', { list: info.providers.join(', ') })}</p>}
      </div>
      <div className="field">
        <span className="label">{t('model')}</span>
        <p>
          <code>{info?.model.id}</code>
        </p>
      </div>
      <form
        className="field"
        onSubmit={(e) => {
          e.preventDefault();
          const v = new FormData(e.currentTarget).get('libraryPath');
          if (typeof v === 'string' && v.trim() !== '') void save({ libraryPath: v.trim() });
        }}
      >
        <label htmlFor={ids.path}>{t('libraryLocation')}</label>
        <div className="ask-row">
          <input id={ids.path} name="libraryPath" type="text" defaultValue={settings.libraryPath} aria-describedby={`${ids.path}-hint`} />
          <button type="submit">{t('save')}</button>
        </div>
        <p id={`${ids.path}-hint`} className="muted">{t('libraryLocationHint')}</p>
      </form>
      <div className="field">
        <button
          type="button"
          aria-describedby={`${ids.path}-cache`}
          onClick={() =>
            api.clearCache().then(
              () => setStatus(t('cacheCleared')),
              (e: unknown) => setStatus(t('error', { message: asLecternError(e).message })),
            )
          }
        >
          {t('clearCache')}
        </button>
        <p id={`${ids.path}-cache`} className="muted">{t('clearCacheHint')}</p>
      </div>
      <p aria-live="polite" data-testid="settings-status">{status}</p>
    </section>
  );
}
