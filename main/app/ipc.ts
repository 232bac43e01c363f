// The main process's one IPC entry point: a LecternApi call from the window's preload. Each call
// is accepted only from the main window's own top frame showing an app page (a wrong sender is
// refused), and its arguments are checked (api-dispatch.ts) before the engine sees them.
import type { LecternApi } from '../../common/api.js';
import { LecternError } from '../../common/errors.js';
import { IPC, type IpcReply } from '../../common/ipc-channels.js';
import { dispatchCall } from '../transport/api-dispatch.js';
import { isAppUrl } from './app-scheme.js';

export interface IpcSender {
  id: number;
  send(channel: string, ...args: unknown[]): void;
}

export interface IpcEvent {
  sender: IpcSender;
  senderFrame: { url: string; parent: unknown } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEvent, ...args: unknown[]) => Promise<IpcReply>): void;
  on(channel: string, listener: (event: IpcEvent, ...args: unknown[]) => void): void;
}

/** Whether an IPC message comes from the trusted window's top frame on an app page. */
export function isTrustedSender(event: IpcEvent, trustedContentsId: () => number | null): boolean {
  const frame = event.senderFrame;
  return event.sender.id === trustedContentsId() && frame !== null && frame.parent === null && isAppUrl(frame.url);
}

export function registerIpc(ipcMain: IpcMainLike, api: LecternApi, trustedContentsId: () => number | null): void {
  const running = new Map<string, AbortController>();
  ipcMain.handle(IPC.CALL, async (event, callId, method, args): Promise<IpcReply> => {
    if (!isTrustedSender(event, trustedContentsId)) return { ok: false, error: { code: 'usage', message: 'refused: not the app window' } };
    if (typeof callId !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(callId)) return { ok: false, error: { code: 'usage', message: 'a call id is 1-64 letters, digits or dashes' } };
    const abort = new AbortController();
    const key = `${event.sender.id}:${callId}`;
    running.set(key, abort);
    try {
      const value = await dispatchCall(api, method, args, {
        signal: abort.signal,
        onProgress: (p) => event.sender.send(IPC.PROGRESS, callId, p),
      });
      return { ok: true, value };
    } catch (e) {
      return { ok: false, error: e instanceof LecternError ? e.toWire() : { code: 'internal', message: e instanceof Error ? e.message : String(e) } };
    } finally {
      running.delete(key);
    }
  });
  ipcMain.on(IPC.CANCEL, (event, callId) => {
    if (!isTrustedSender(event, trustedContentsId) || typeof callId !== 'string') return;
    running.get(`${event.sender.id}:${callId}`)?.abort();
  });
}
