// The engine's messages, whatever carries them (transport.ts): a call names a LecternApi method
// and its arguments, and is answered by progress events and then one result or one error in wire
// form; a cancel stops the call with that id. Arguments and results are plain data (common/
// types.ts) plus the Uint8Array of addBytes, which every transport here clones natively. The
// options' callbacks (onProgress, onWarning, signal) never cross: the client keeps them, and the
// engine sends progress and warnings and obeys cancels instead.
import type { LecternApi } from '../../common/api.js';
import { API_METHODS } from '../../common/api-methods.js';
import type { WireError } from '../../common/errors.js';
import type { Progress } from '../../common/types.js';

export type Method = keyof LecternApi;

/** Every method of LecternApi, as every boundary (IPC, HTTP, this protocol) names them. */
export const METHODS: readonly Method[] = API_METHODS;

/** Where a method's options object sits among its arguments (methods that take one). */
export const OPTIONS_ARG: Partial<Record<Method, number>> = { addPath: 1, addBytes: 2, read: 1, score: 1, ask: 2, summarize: 1 };

export type ToEngine =
  | { type: 'call'; id: number; method: Method; args: unknown[] }
  /** Stop call `id`; `message` is what the Cancelled error will say ("interrupted"). */
  | { type: 'cancel'; id: number; message: string }
  /** Release the model sessions and the database, then answer 'closed'. */
  | { type: 'close' };

export type FromEngine =
  | { type: 'progress'; id: number; progress: Progress }
  /** addPath/addBytes: something ingestion left out, told as it happens (AddOptions.onWarning). */
  | { type: 'warning'; id: number; message: string }
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; error: WireError }
  | { type: 'closed' };

export function isMethod(x: unknown): x is Method {
  return typeof x === 'string' && (METHODS as readonly string[]).includes(x);
}
