// The preload with `electron` mocked (its binary cannot run here), wired to the real main-side
// IPC handler and a real library: window.lectern has every LecternApi method, progress arrives,
// errors keep their code across the bridge, and a cancel reaches the main process.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { LecternApi } from '../../common/api.js';
import { API_METHODS } from '../../common/api-methods.js';
import { IPC, type IpcReply } from '../../common/ipc-channels.js';
import type { Progress } from '../../common/types.js';
import { APP_ENTRY } from '../../main/app/app-scheme.js';
import { registerIpc, type IpcEvent } from '../../main/app/ipc.js';
import { LibraryService } from '../../main/engine/service.js';
import { fixture } from '../support/fixtures.js';

const exposed: Record<string, unknown> = {};
const handlers = new Map<string, (event: IpcEvent, ...args: unknown[]) => Promise<IpcReply>>();
const onMain = new Map<string, (event: IpcEvent, ...args: unknown[]) => void>();
const rendererListeners = new Map<string, (event: unknown, ...args: unknown[]) => void>();
const sent: unknown[][] = [];
const event: IpcEvent = {
  sender: { id: 1, send: (channel, ...args) => rendererListeners.get(channel)?.({}, ...args) },
  senderFrame: { url: APP_ENTRY, parent: null },
};

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
  ipcRenderer: {
    invoke: (channel: string, ...args: unknown[]) => handlers.get(channel)!(event, ...args),
    send: (channel: string, ...args: unknown[]) => {
      sent.push([channel, ...args]);
      onMain.get(channel)?.(event, ...args);
    },
    on: (channel: string, l: (event: unknown, ...args: unknown[]) => void) => rendererListeners.set(channel, l),
  },
}));

const dir = mkdtempSync(join(tmpdir(), 'lectern-preload-'));
const engine = new LibraryService({ dbPath: join(dir, 'library.sqlite') });
registerIpc({ handle: (c, l) => handlers.set(c, l), on: (c, l) => onMain.set(c, l) }, engine, () => 1);
await import('../../preload/preload.js');
const lectern = exposed.lectern as LecternApi;
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the preload (electron mocked)', () => {
  it('exposes every LecternApi method and nothing of Electron', () => {
    expect(Object.keys(lectern).sort()).toEqual([...API_METHODS].sort());
    expect(Object.keys(exposed).sort()).toEqual(['lectern', 'lecternApp']);
  });

  it('adds bytes with progress through IPC', async () => {
    const seen: Progress[] = [];
    const bytes = new Uint8Array(readFileSync(fixture('contracts/series-seed-term-sheet.md')));
    const r = await lectern.addBytes('term-sheet.md', bytes, { onProgress: (p) => seen.push(p) });
    expect(r.document.format).toBe('md');
    // A small text file may finish before any progress is due (ingestion reports by time since 2026-12-05).
    expect(seen.every((p) => p.done <= p.total)).toBe(true);
  });

  it('rejects with plain objects that keep the error code across the context bridge', async () => {
    await expect(lectern.getDocument('0'.repeat(64))).rejects.toMatchObject({ name: 'LecternError', code: 'not-found' });
    await expect(lectern.search('nope', 'x')).rejects.toMatchObject({ name: 'LecternError', code: 'usage' });
  });

  it('sends a cancel for an aborted call', async () => {
    const listeners: Array<() => void> = [];
    const signal = { aborted: false, reason: undefined, addEventListener: (_t: 'abort', l: () => void) => listeners.push(l), removeEventListener: () => undefined };
    const id = (await lectern.listDocuments())[0].id;
    const reading = lectern.read(id, { signal }).catch((e: unknown) => e);
    listeners.forEach((l) => l());
    expect(sent.some((s) => s[0] === IPC.CANCEL)).toBe(true);
    await reading;
  });
});
