// LecternApi over an engine (worker.ts) on the other end of a transport. The engine starts on the
// first call; if it crashes, the calls it had are rejected with 'engine-crashed' and the next call
// starts a new one. Cancelling a call (its signal) asks the engine to stop it; the engine answers
// with a Cancelled error once the store is consistent again.
import type { LecternApi } from '../../common/api.js';
import { LecternError, parseWireError } from '../../common/errors.js';
import type { Progress } from '../../common/types.js';
import { Cancelled } from '../core/errors.js';
import { errorFromWire } from '../core/error-wire.js';
import { METHODS, OPTIONS_ARG, type FromEngine, type Method } from './protocol.js';
import type { EngineTransport, TransportFactory } from './transport.js';
import { workerThreadTransport, type EngineConfig } from './worker-thread-transport.js';

export interface EngineClientOptions extends EngineConfig {
  /** How to start the engine; a worker thread of this process when absent. */
  transport?: TransportFactory;
}

export type EngineClient = LecternApi & {
  /** Stops the engine after releasing its model sessions and database; pending calls are cancelled. */
  close(): Promise<void>;
};

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onProgress?: (p: Progress) => void;
  onWarning?: (message: string) => void;
}

/** The options' members that stay with the caller: the engine sends events for them instead. */
interface LocalOptions {
  onProgress?: (p: Progress) => void;
  onWarning?: (message: string) => void;
  signal?: AbortSignal;
}

/** How long close() waits for the engine to release its sessions before stopping it anyway. */
const CLOSE_GRACE_MS = 5_000;

export function createEngineClient(options: EngineClientOptions): EngineClient {
  const start = options.transport ?? workerThreadTransport({ dbPath: options.dbPath, modelDir: options.modelDir });
  let transport: EngineTransport | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  let closed: (() => void) | null = null;

  const connect = (): EngineTransport => {
    if (transport) return transport;
    const t = start();
    t.onMessage((m: FromEngine) => {
      if (m.type === 'closed') {
        closed?.();
        return;
      }
      const p = pending.get(m.id);
      if (!p) return;
      if (m.type === 'progress') p.onProgress?.(m.progress);
      else if (m.type === 'warning') p.onWarning?.(m.message);
      else {
        pending.delete(m.id);
        t.setBusy(pending.size > 0);
        if (m.type === 'result') p.resolve(m.value);
        else p.reject(errorFromWire(parseWireError(m.error)));
      }
    });
    t.onExit((reason) => {
      if (transport === t) transport = null;
      const lost = [...pending.values()];
      pending.clear();
      for (const p of lost) p.reject(new LecternError('engine-crashed', `the engine stopped before it answered (${reason})`, reason));
    });
    transport = t;
    return t;
  };

  const call = (method: Method, args: unknown[]): Promise<unknown> => {
    const at = OPTIONS_ARG[method];
    const given = at === undefined ? undefined : (args[at] as LocalOptions | undefined);
    const sent = [...args];
    if (at !== undefined && given) {
      const { onProgress: _p, onWarning: _w, signal: _s, ...plain } = given;
      sent[at] = plain;
    }
    const signal = given?.signal;
    if (signal?.aborted) return Promise.reject(cancelledFrom(signal.reason));
    const t = connect();
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = (): void => t.send({ type: 'cancel', id, message: cancelledFrom(signal?.reason).message });
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => signal?.removeEventListener('abort', onAbort);
      pending.set(id, {
        resolve: (v) => (done(), resolve(v)),
        reject: (e) => (done(), reject(e)),
        onProgress: given?.onProgress,
        onWarning: given?.onWarning,
      });
      t.setBusy(true);
      t.send({ type: 'call', id, method, args: sent });
    });
  };

  const api = Object.fromEntries(METHODS.map((m) => [m, (...args: unknown[]) => call(m, args)])) as unknown as LecternApi;
  return Object.assign(api, {
    async close(): Promise<void> {
      const t = transport;
      if (!t) return;
      const gone = new Promise<void>((resolve) => {
        closed = resolve;
        setTimeout(resolve, CLOSE_GRACE_MS).unref();
      });
      t.setBusy(true);
      t.send({ type: 'close' });
      await gone;
      transport = null;
      await t.terminate();
      const lost = [...pending.values()];
      pending.clear();
      for (const p of lost) p.reject(new Cancelled('the engine was closed'));
    },
  });
}

function cancelledFrom(reason: unknown): Cancelled {
  return reason instanceof Cancelled ? reason : new Cancelled();
}
