// The methods of LecternApi as they cross a boundary (Electron IPC, web mode's HTTP): their
// names, and the plain part of their options. Callbacks and signals stay on the caller's side;
// progress and cancellation travel as messages of the transport.
import type { LecternApi } from './api.js';
import type { DeviceChoice } from './types.js';

export type ApiMethod = keyof LecternApi;

export const API_METHODS: readonly ApiMethod[] = [
  'info', 'listDocuments', 'getDocument', 'getText', 'getOutline', 'getTextRange', 'addPath', 'addBytes', 'removeDocument', 'read', 'score',
  'search', 'ask', 'summarize', 'getSource', 'getSettings', 'updateSettings', 'clearCache',
];

/** Methods whose last argument is an options object with onProgress and signal. */
export const PROGRESS_METHODS: ReadonlySet<ApiMethod> = new Set<ApiMethod>(['addPath', 'addBytes', 'read', 'score', 'ask', 'summarize']);

export function isApiMethod(x: unknown): x is ApiMethod {
  return typeof x === 'string' && (API_METHODS as readonly string[]).includes(x);
}

/** The plain fields of AddOptions, ReadOptions and AskOptions together. */
export interface WireOptions {
  password?: string;
  device?: DeviceChoice;
  top?: number;
}

/** Copies the plain fields of an options object, leaving onProgress and signal behind. */
export function wireOptions(o: { password?: string; device?: DeviceChoice; top?: number } | undefined): WireOptions {
  const w: WireOptions = {};
  if (o?.password !== undefined) w.password = o.password;
  if (o?.device !== undefined) w.device = o.device;
  if (o?.top !== undefined) w.top = o.top;
  return w;
}
