// The sandboxed preload: window.lectern, the one typed bridge to the app (common/api.ts), over
// IPC to the main process. Nothing else of Electron or Node reaches the page. Functions and plain
// objects cross the context bridge; an options.signal must therefore be a CancelSignal whose
// addEventListener is its own property (renderer code passes such objects, see web-api's twin).
import { contextBridge, ipcRenderer } from 'electron';
import type { LecternApi } from '../common/api.js';
import { API_METHODS, PROGRESS_METHODS, wireOptions, type ApiMethod } from '../common/api-methods.js';
import { parseWireError } from '../common/errors.js';
import { IPC, type IpcReply } from '../common/ipc-channels.js';
import type { Progress } from '../common/types.js';

type Options = Parameters<typeof wireOptions>[0] & {
  onProgress?: (p: Progress) => void;
  signal?: { aborted: boolean; addEventListener(type: 'abort', l: () => void): void };
};

const progressListeners = new Map<string, (p: Progress) => void>();
ipcRenderer.on(IPC.PROGRESS, (_event, callId: unknown, progress: Progress) => {
  if (typeof callId === 'string') progressListeners.get(callId)?.(progress);
});

let next = 0;
const optionsIndex: Partial<Record<ApiMethod, number>> = { addPath: 1, addBytes: 2, read: 1, score: 1, ask: 2, summarize: 1 };

async function call(method: ApiMethod, args: unknown[]): Promise<unknown> {
  const callId = `c${++next}`;
  let wire = args;
  const at = optionsIndex[method];
  if (PROGRESS_METHODS.has(method) && at !== undefined) {
    const options = (args[at] ?? {}) as Options;
    wire = [...args.slice(0, at), wireOptions(options)];
    if (options.onProgress) progressListeners.set(callId, options.onProgress);
    if (options.signal?.aborted) throw { name: 'LecternError', code: 'cancelled', message: 'cancelled' };
    options.signal?.addEventListener('abort', () => ipcRenderer.send(IPC.CANCEL, callId));
  }
  try {
    const reply = (await ipcRenderer.invoke(IPC.CALL, callId, method, wire)) as IpcReply;
    if (reply.ok) return reply.value;
    // A plain object: the context bridge copies its fields, where an Error would arrive as its
    // message alone. The renderer reads `code` from either (api-context.ts).
    throw { name: 'LecternError', ...parseWireError(reply.error) };
  } finally {
    progressListeners.delete(callId);
  }
}

const lectern = Object.fromEntries(API_METHODS.map((m) => [m, (...args: unknown[]) => call(m, args)])) as unknown as LecternApi;

contextBridge.exposeInMainWorld('lectern', lectern);
contextBridge.exposeInMainWorld('lecternApp', {
  onLibraryChanged(listener: () => void) {
    ipcRenderer.on(IPC.LIBRARY_CHANGED, () => listener());
  },
});
