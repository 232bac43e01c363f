// The library as the UI holds it: the documents, and the live progress of the adds and reads
// this window started. Adding a document reads it straight away (the model's one pass), so a
// dropped file goes from "adding" through "reading" to "read" without another click.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CancelSignal, LecternApi } from '../../../common/api.js';
import type { DeviceChoice, DocumentInfo, Progress } from '../../../common/types.js';
import { asLecternError } from '../api-context.js';

export interface Activity {
  /** A document id, or `pending:<n>` for a file still being added. */
  key: string;
  fileName: string;
  progress: Progress | null;
  error: string | null;
}

/**
 * A CancelSignal whose methods are its own properties: Electron's context bridge copies only own
 * properties, so a plain AbortSignal would reach the preload without addEventListener.
 */
function bridgeableSignal(c: AbortController): CancelSignal {
  return {
    get aborted() {
      return c.signal.aborted;
    },
    get reason() {
      return c.signal.reason as unknown;
    },
    addEventListener: (type, listener, options) => c.signal.addEventListener(type, listener, options),
    removeEventListener: (type, listener) => c.signal.removeEventListener(type, listener),
  };
}

export interface LibraryState {
  documents: DocumentInfo[];
  activities: Activity[];
  loadError: string | null;
  addFiles(files: File[]): Promise<void>;
  remove(id: string): Promise<void>;
  read(id: string): Promise<void>;
  /** Stops a reading this window started; it resumes from its last checkpoint next time. */
  cancel(id: string): void;
  refresh(): Promise<void>;
}

export function useLibrary(api: LecternApi, device: DeviceChoice | undefined): LibraryState {
  const [documents, setDocuments] = useState<DocumentInfo[]>([]);
  const [activities, setActivities] = useState<Activity[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const pending = useRef(0);
  const running = useRef(new Map<string, AbortController>());

  const refresh = useCallback(async () => {
    try {
      setDocuments(await api.listDocuments());
      setLoadError(null);
    } catch (e) {
      setLoadError(asLecternError(e).message);
    }
  }, [api]);

  useEffect(() => {
    void refresh();
    // The desktop app adds files the OS or its File menu opened; the window hears of it here.
    (window as { lecternApp?: { onLibraryChanged(listener: () => void): void } }).lecternApp?.onLibraryChanged(() => void refresh());
  }, [refresh]);

  const update = useCallback((key: string, change: Partial<Activity> | null) => {
    setActivities((list) => {
      if (change === null) return list.filter((a) => a.key !== key);
      const i = list.findIndex((a) => a.key === key);
      if (i < 0) return [...list, { key, fileName: '', progress: null, error: null, ...change }];
      const next = list.slice();
      next[i] = { ...next[i], ...change };
      return next;
    });
  }, []);

  const read = useCallback(
    async (id: string) => {
      update(id, { progress: null, error: null });
      const abort = new AbortController();
      running.current.set(id, abort);
      try {
        await api.read(id, { device, signal: bridgeableSignal(abort), onProgress: (p) => update(id, { progress: p }) });
        update(id, null);
      } catch (e) {
        const err = asLecternError(e);
        update(id, err.code === 'cancelled' ? null : { error: err.message });
      } finally {
        running.current.delete(id);
      }
      await refresh();
    },
    [api, device, refresh, update],
  );

  const addFiles = useCallback(
    async (files: File[]) => {
      await Promise.all(
        files.map(async (file) => {
          const key = `pending:${pending.current++}`;
          update(key, { fileName: file.name });
          try {
            const bytes = new Uint8Array(await file.arrayBuffer());
            const added = await api.addBytes(file.name, bytes, { onProgress: (p) => update(key, { progress: p }) });
            update(key, null);
            await refresh();
            if (added.document.reading?.status !== 'done') await read(added.document.id);
          } catch (e) {
            update(key, { error: asLecternError(e).message });
          }
        }),
      );
    },
    [api, read, refresh, update],
  );

  const remove = useCallback(
    async (id: string) => {
      try {
        await api.removeDocument(id);
      } catch (e) {
        setLoadError(asLecternError(e).message);
      }
      await refresh();
    },
    [api, refresh],
  );

  const cancel = useCallback((id: string) => running.current.get(id)?.abort(), []);

  return { documents, activities, loadError, addFiles, remove, read, cancel, refresh };
}
