// LecternApi over a message port: the Electron main process talks to the engine in its
// utilityProcess this way (MessagePortMain / process.parentPort), and any other port with the
// same two operations works too (tests use Node's MessageChannel). One call is
// {call, id, method, args}; the other side answers with progress messages and one result or
// error; {cancel, id} stops a call. Only plain data crosses (common/types.ts).
import type { LecternApi, RunOptions } from '../../common/api.js';
import { API_METHODS, PROGRESS_METHODS, wireOptions, type ApiMethod } from '../../common/api-methods.js';
import { LecternError, parseWireError, type WireError } from '../../common/errors.js';
import type { Progress } from '../../common/types.js';
import { dispatchCall } from './api-dispatch.js';

/** The part of a message port both sides use: Electron's ports deliver `{ data }` events. */
export interface PortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

export type ToEngine = { type: 'call'; id: number; method: ApiMethod; args: unknown[] } | { type: 'cancel'; id: number };
export type FromEngine =
  | { type: 'progress'; id: number; progress: Progress }
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; error: WireError };

function wireError(e: unknown): WireError {
  return e instanceof LecternError ? e.toWire() : { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}

/** The engine's side: every call is checked (api-dispatch.ts) and run on `api`. */
export function serveApi(port: PortLike, api: LecternApi): void {
  const running = new Map<number, AbortController>();
  port.on('message', ({ data }) => {
    const m = data as Partial<ToEngine> | null;
    if (typeof m !== 'object' || m === null || typeof m.id !== 'number') return;
    const id = m.id;
    if (m.type === 'cancel') {
      running.get(id)?.abort();
      return;
    }
    if (m.type !== 'call') return;
    const abort = new AbortController();
    running.set(id, abort);
    dispatchCall(api, m.method, m.args, { signal: abort.signal, onProgress: (progress) => port.postMessage({ type: 'progress', id, progress } satisfies FromEngine) })
      .then(
        (value) => port.postMessage({ type: 'result', id, value } satisfies FromEngine),
        (e: unknown) => port.postMessage({ type: 'error', id, error: wireError(e) } satisfies FromEngine),
      )
      .finally(() => running.delete(id));
  });
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: LecternError): void;
  onProgress?: (p: Progress) => void;
}

/** The caller's side: a LecternApi whose every call goes over `port`. */
export function connectApi(port: PortLike): LecternApi & { failAll(reason: string): void } {
  let next = 1;
  const pending = new Map<number, Pending>();
  port.on('message', ({ data }) => {
    const m = data as FromEngine;
    const p = pending.get(m.id);
    if (!p) return;
    if (m.type === 'progress') p.onProgress?.(m.progress);
    else {
      pending.delete(m.id);
      if (m.type === 'result') p.resolve(m.value ?? undefined);
      else p.reject(LecternError.fromWire(parseWireError(m.error)));
    }
  });
  const call = (method: ApiMethod, args: unknown[], options?: RunOptions & Record<string, unknown>) =>
    new Promise<unknown>((resolve, reject) => {
      const id = next++;
      const signal = options?.signal;
      if (signal?.aborted) return reject(new LecternError('cancelled', 'cancelled'));
      const cancel = () => port.postMessage({ type: 'cancel', id } satisfies ToEngine);
      signal?.addEventListener('abort', cancel, { once: true });
      pending.set(id, {
        resolve: (v) => {
          signal?.removeEventListener('abort', cancel);
          resolve(v);
        },
        reject: (e) => {
          signal?.removeEventListener('abort', cancel);
          reject(e);
        },
        onProgress: options?.onProgress,
      });
      const wire = PROGRESS_METHODS.has(method) ? [...args, wireOptions(options as Parameters<typeof wireOptions>[0])] : args;
      port.postMessage({ type: 'call', id, method, args: wire } satisfies ToEngine);
    });
  const api = Object.fromEntries(
    API_METHODS.map((method) => [
      method,
      (...args: unknown[]) => {
        if (PROGRESS_METHODS.has(method)) {
          const last = args[args.length - 1];
          const hasOptions = typeof last === 'object' && last !== null && !(last instanceof Uint8Array) && args.length > minArgs(method);
          return call(method, hasOptions ? args.slice(0, -1) : args, hasOptions ? (last as RunOptions & Record<string, unknown>) : undefined);
        }
        return call(method, args.filter((a) => a !== undefined));
      },
    ]),
  ) as unknown as LecternApi;
  return Object.assign(api, {
    /** The engine process died: every call in flight fails with this reason. */
    failAll(reason: string) {
      for (const p of pending.values()) p.reject(new LecternError('engine-crashed', reason));
      pending.clear();
    },
  });
}

/** Arguments before the options object of a progress method. */
function minArgs(method: ApiMethod): number {
  return method === 'addBytes' || method === 'ask' ? 2 : 1;
}
