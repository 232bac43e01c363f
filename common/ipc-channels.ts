// The Electron IPC channels between the preload and the main process. A call is invoked on
// CALL and answered with an IpcReply (never a thrown error: Electron flattens those to a
// string); its progress arrives on PROGRESS with the call's id; CANCEL stops it.
import type { WireError } from './errors.js';

export const IPC = {
  CALL: 'lectern:call',
  PROGRESS: 'lectern:progress',
  CANCEL: 'lectern:cancel',
  /** Main tells the window the library changed (a file opened from the OS or a menu). */
  LIBRARY_CHANGED: 'lectern:library-changed',
} as const;

export type IpcReply = { ok: true; value: unknown } | { ok: false; error: WireError };
