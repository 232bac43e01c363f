// One call of LecternApi arriving from an untrusted side (the renderer over Electron IPC, a
// browser over HTTP): the method name and every argument are checked before the engine sees
// them, and a bad call is refused with a 'usage' LecternError that names what was wrong.
import type { LecternApi, RunOptions } from '../../common/api.js';
import { isApiMethod, type ApiMethod, type WireOptions } from '../../common/api-methods.js';
import { LecternError } from '../../common/errors.js';
import type { DeviceChoice, Settings } from '../../common/types.js';

export interface CallContext {
  onProgress?: RunOptions['onProgress'];
  signal?: AbortSignal;
}

const MAX_TEXT = 10_000;
const MAX_PATH = 4_096;

function usage(message: string): LecternError {
  return new LecternError('usage', message);
}

function documentId(x: unknown): string {
  if (typeof x !== 'string' || !/^[0-9a-f]{64}$/.test(x)) throw usage('a document id is 64 lower-case hex digits');
  return x;
}

function text(x: unknown, what: string, max = MAX_TEXT): string {
  if (typeof x !== 'string' || x.trim() === '' || x.length > max) throw usage(`${what} must be a non-empty string of at most ${max} characters`);
  return x;
}

function device(x: unknown): DeviceChoice {
  if (x === 'auto' || x === 'cpu' || x === 'gpu') return x;
  throw usage('device must be auto, cpu or gpu');
}

function top(x: unknown): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 1 || x > 50) throw usage('top must be a whole number from 1 to 50');
  return x;
}

function plainObject(x: unknown, what: string): Record<string, unknown> {
  if (x === undefined || x === null) return {};
  if (typeof x !== 'object' || Array.isArray(x) || x instanceof Uint8Array) throw usage(`${what} must be an object`);
  return x as Record<string, unknown>;
}

/** The plain options of a call, each field checked; unknown fields are refused. */
export function parseWireOptions(x: unknown): WireOptions {
  const o = plainObject(x, 'options');
  const w: WireOptions = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    if (k === 'password') w.password = text(v, 'password', 1024);
    else if (k === 'device') w.device = device(v);
    else if (k === 'top') w.top = top(v);
    else throw usage(`unknown option: ${k}`);
  }
  return w;
}

function settingsChange(x: unknown): Partial<Settings> {
  const o = plainObject(x, 'settings');
  const s: Partial<Settings> = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === 'device') s.device = device(v);
    else if (k === 'libraryPath') s.libraryPath = text(v, 'libraryPath', MAX_PATH);
    else throw usage(`unknown setting: ${k}`);
  }
  return s;
}

function offset(x: unknown, name: string): number {
  if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) throw usage(`${name} must be a whole number from 0`);
  return x;
}

function arity(args: readonly unknown[], min: number, max: number, method: string): void {
  if (args.length < min || args.length > max) throw usage(`${method} takes ${min === max ? min : `${min} to ${max}`} arguments`);
}

/** Checks a call and runs it on `api`; rejects with a 'usage' LecternError when it is malformed. */
export async function dispatchCall(api: LecternApi, method: unknown, args: unknown, ctx: CallContext = {}): Promise<unknown> {
  if (!isApiMethod(method)) throw usage(`no such method: ${String(method).slice(0, 40)}`);
  if (!Array.isArray(args)) throw usage('arguments must be an array');
  return run(api, method, args, ctx);
}

function run(api: LecternApi, method: ApiMethod, a: unknown[], ctx: CallContext): Promise<unknown> {
  const run = { onProgress: ctx.onProgress, signal: ctx.signal };
  switch (method) {
    case 'info':
    case 'listDocuments':
    case 'getSettings':
    case 'clearCache':
      arity(a, 0, 0, method);
      return api[method]();
    case 'getDocument':
    case 'getText':
    case 'getOutline':
    case 'removeDocument':
    case 'getSource':
      arity(a, 1, 1, method);
      return api[method](documentId(a[0]));
    case 'addPath':
      arity(a, 1, 2, method);
      return api.addPath(text(a[0], 'path', MAX_PATH), { ...parseWireOptions(a[1]), ...run });
    case 'addBytes': {
      arity(a, 2, 3, method);
      if (!(a[1] instanceof Uint8Array) || a[1].byteLength === 0) throw usage('bytes must be a non-empty Uint8Array');
      return api.addBytes(text(a[0], 'file name', 1024), a[1], { ...parseWireOptions(a[2]), ...run });
    }
    case 'read':
    case 'score':
      arity(a, 1, 2, method);
      return api[method](documentId(a[0]), { ...parseWireOptions(a[1]), ...run });
    case 'getTextRange':
      arity(a, 3, 3, method);
      return api.getTextRange(documentId(a[0]), offset(a[1], 'start'), offset(a[2], 'end'));
    case 'search':
      arity(a, 2, 3, method);
      return api.search(documentId(a[0]), text(a[1], 'query'), a[2] === undefined ? undefined : top(a[2]));
    case 'ask':
      arity(a, 2, 3, method);
      return api.ask(a[0] === null ? null : documentId(a[0]), text(a[1], 'question'), { ...parseWireOptions(a[2]), ...run });
    case 'summarize':
      arity(a, 1, 2, method);
      parseWireOptions(a[1]);
      return api.summarize(documentId(a[0]), run);
    case 'updateSettings':
      arity(a, 1, 1, method);
      return api.updateSettings(settingsChange(a[0]));
  }
}
