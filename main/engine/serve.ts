// The engine's side of the protocol over any port: runs each call on the service (in the order the
// service decides: model passes queue, store reads do not), relays its progress, and answers with
// its result or its error in wire form. Calls may overlap; each has its own cancel.
import type { LecternApi } from '../../common/api.js';
import type { Progress } from '../../common/types.js';
import { Cancelled } from '../core/errors.js';
import { errorToWire } from '../core/error-wire.js';
import { isMethod, OPTIONS_ARG, type ToEngine } from './protocol.js';
import type { EnginePort } from './transport.js';

export interface Served {
  close(): Promise<void>;
}

/** `open` makes the service on the first call, so a broken setup answers each call with its error. */
export function serve(port: EnginePort, open: () => LecternApi & { close(): Promise<void> }): Served {
  let service: (LecternApi & { close(): Promise<void> }) | null = null;
  const running = new Map<number, { controller: AbortController; settled: Promise<void> }>();

  const call = (id: number, method: string, args: unknown[]): void => {
    const controller = new AbortController();
    const settled = answer(id, method, args, controller.signal).finally(() => running.delete(id));
    running.set(id, { controller, settled });
  };

  const answer = async (id: number, method: string, args: unknown[], signal: AbortSignal): Promise<void> => {
    try {
      if (!isMethod(method) || !Array.isArray(args)) throw new Error(`no engine method ${String(method)}`);
      service ??= open();
      const at = OPTIONS_ARG[method];
      const callArgs = [...args];
      if (at !== undefined) {
        const given = (callArgs[at] ?? {}) as Record<string, unknown>;
        callArgs[at] = {
          ...given,
          signal,
          onProgress: (progress: Progress) => port.post({ type: 'progress', id, progress }),
          onWarning: (message: string) => port.post({ type: 'warning', id, message }),
        };
      }
      const fn = service[method] as (...a: unknown[]) => Promise<unknown>;
      const value = await fn.apply(service, callArgs);
      port.post({ type: 'result', id, value });
    } catch (e) {
      port.post({ type: 'error', id, error: errorToWire(e) });
    }
  };

  const served: Served = {
    async close() {
      // Runs stop at their next safe point (a read commits what it did); only then do the model
      // sessions and the database close under them.
      const calls = [...running.values()];
      for (const c of calls) c.controller.abort(new Cancelled('the engine was closed'));
      await Promise.allSettled(calls.map((c) => c.settled));
      await service?.close();
      service = null;
    },
  };

  port.onMessage((m: ToEngine) => {
    if (m.type === 'call') call(m.id, m.method, m.args);
    else if (m.type === 'cancel') running.get(m.id)?.controller.abort(new Cancelled(m.message));
    else if (m.type === 'close') void served.close().finally(() => port.post({ type: 'closed' }));
  });
  return served;
}
