// The Electron app's locks, fed hostile input. Only the Electron binary is missing here, so the
// handlers are exercised through the few methods they use; main.ts's wiring is checked with
// `electron` mocked (app-main.test.ts).
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LecternApi } from '../../common/api.js';
import { IPC, type IpcReply } from '../../common/ipc-channels.js';
import { APP_ENTRY, appSchemeHandler, isAppUrl } from '../../main/app/app-scheme.js';
import { registerIpc, type IpcEvent, type IpcMainLike } from '../../main/app/ipc.js';
import { mainWindowOptions } from '../../main/app/window-options.js';
import { guardContents, guardSession, type GuardedContents, type GuardedSession } from '../../main/app/window-security.js';
import { LibraryService } from '../../main/engine/service.js';

const dir = mkdtempSync(join(tmpdir(), 'lectern-app-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('window options', () => {
  it('isolate the page: context isolation, sandbox, no Node, no webview', () => {
    const o = mainWindowOptions('/app/preload.cjs');
    expect(o.webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
  });
});

type Listener = (...args: never[]) => void;

function fakeContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((d: { url: string }) => { action: 'deny' }) | null = null;
  const contents: GuardedContents = {
    on: ((event: string, l: Listener) => listeners.set(event, l)) as GuardedContents['on'],
    setWindowOpenHandler: (h) => {
      openHandler = h;
    },
  };
  const opened: string[] = [];
  guardContents(contents, (url) => opened.push(url));
  const fire = (event: string, url?: string) => {
    let prevented = false;
    (listeners.get(event) as unknown as (e: { preventDefault(): void }, url?: string) => void)({ preventDefault: () => (prevented = true) }, url);
    return prevented;
  };
  return { fire, open: (url: string) => openHandler!({ url }), opened };
}

describe('navigation and new windows', () => {
  it('denies navigation and redirects to anything but the app, javascript: and file: included', () => {
    const c = fakeContents();
    for (const url of ['https://evil.example/', 'javascript:alert(1)', 'file:///etc/passwd', 'lectern://evil/index.html', 'data:text/html,<script>1</script>', 'not a url']) {
      expect(c.fire('will-navigate', url), url).toBe(true);
      expect(c.fire('will-redirect', url), url).toBe(true);
      expect(c.fire('will-frame-navigate', url), url).toBe(true);
    }
    expect(c.fire('will-navigate', APP_ENTRY)).toBe(false);
    expect(c.fire('will-attach-webview')).toBe(true);
  });

  it('never opens a window; a web link goes to the browser, a javascript: URL nowhere', () => {
    const c = fakeContents();
    expect(c.open('https://example.org/paper')).toEqual({ action: 'deny' });
    expect(c.open('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(c.open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(c.opened).toEqual(['https://example.org/paper']);
  });
});

describe('the session', () => {
  function fakeSession() {
    const s = {
      request: null as null | ((c: unknown, p: string, cb: (g: boolean) => void) => void),
      check: null as null | ((c: unknown, p: string) => boolean),
      before: null as null | ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void),
    };
    const session: GuardedSession = {
      setPermissionRequestHandler: (h) => (s.request = h),
      setPermissionCheckHandler: (h) => (s.check = h),
      webRequest: { onBeforeRequest: (l) => (s.before = l) },
    };
    guardSession(session);
    return s;
  }

  it('denies every permission request: camera, microphone, notifications, geolocation', () => {
    const s = fakeSession();
    for (const p of ['media', 'camera', 'microphone', 'notifications', 'geolocation', 'clipboard-read']) {
      let granted: boolean | null = null;
      s.request!({}, p, (g) => (granted = g));
      expect(granted, p).toBe(false);
      expect(s.check!({}, p)).toBe(false);
    }
  });

  it('cancels every request that is not for the app itself (no remote content)', () => {
    const s = fakeSession();
    const cancelled = (url: string) => {
      let r: { cancel: boolean } | null = null;
      s.before!({ url }, (x) => (r = x));
      return r!.cancel;
    };
    expect(cancelled('https://fonts.example/font.woff2')).toBe(true);
    expect(cancelled('http://127.0.0.1:8080/api')).toBe(true);
    expect(cancelled('file:///etc/passwd')).toBe(true);
    expect(cancelled('lectern://app/assets/index.js')).toBe(false);
  });
});

describe('the app scheme', () => {
  const root = join(dir, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Lectern</title>');
  writeFileSync(join(dir, 'secret.txt'), 'secret');
  symlinkSync(join(dir, 'secret.txt'), join(root, 'assets', 'link.txt'));
  const handler = appSchemeHandler(realpathSync(root));
  const get = (url: string, method = 'GET') => handler({ url, method });

  it('serves the renderer with the CSP', async () => {
    const r = await get(APP_ENTRY);
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('<title>Lectern</title>');
    expect(r.headers.get('content-security-policy')).toContain("script-src 'self' 'wasm-unsafe-eval'");
  });

  it('refuses path traversal, encoded or not, symbolic links out, other hosts and writes', async () => {
    for (const url of [
      'lectern://app/../secret.txt',
      'lectern://app/%2e%2e/secret.txt',
      'lectern://app/assets/..%2f..%2fsecret.txt',
      'lectern://app/..%5csecret.txt',
      'lectern://app/assets/link.txt',
      'lectern://app/%00',
      'lectern://other/index.html',
    ]) {
      const r = await get(url);
      expect(r.status, url).not.toBe(200);
      expect(await r.text()).not.toContain('secret');
    }
    expect((await get(APP_ENTRY, 'POST')).status).toBe(405);
    expect(isAppUrl('lectern://app.evil/index.html')).toBe(false);
  });
});

describe('IPC', () => {
  const api = new LibraryService({ dbPath: join(dir, 'ipc', 'library.sqlite') });
  afterAll(() => api.close());
  let handler: ((event: IpcEvent, ...args: unknown[]) => Promise<IpcReply>) | null = null;
  const ipcMain: IpcMainLike = {
    handle: (channel, l) => {
      if (channel === IPC.CALL) handler = l;
    },
    on: () => undefined,
  };
  registerIpc(ipcMain, api as LecternApi, () => 7);
  const event = (over: Partial<{ id: number; url: string; parent: unknown }> = {}): IpcEvent => ({
    sender: { id: over.id ?? 7, send: () => undefined },
    senderFrame: { url: over.url ?? APP_ENTRY, parent: over.parent ?? null },
  });

  it('answers the app window', async () => {
    expect(await handler!(event(), 'c1', 'listDocuments', [])).toEqual({ ok: true, value: [] });
  });

  it('refuses a wrong sender: another window, a subframe, a page not of the app', async () => {
    for (const e of [event({ id: 8 }), event({ parent: {} }), event({ url: 'https://evil.example/' }), { sender: { id: 7, send: () => undefined }, senderFrame: null }]) {
      const r = await handler!(e, 'c2', 'listDocuments', []);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.error.message).toMatch(/not the app window/);
    }
  });

  it('refuses bad arguments with a usage error, before the engine sees them', async () => {
    const bad: unknown[][] = [
      ['c3', 'getDocument', ['../../etc/passwd']],
      ['c4', 'addPath', [42]],
      ['c5', 'read', ['f'.repeat(64), { device: 'quantum' }]],
      ['c6', '__proto__', []],
      ['c7', 'listDocuments', 'not an array'],
      ['c8', 'addBytes', ['x.pdf', 'not bytes']],
      ['not a valid id!', 'listDocuments', []],
    ];
    for (const args of bad) {
      const r = await handler!(event(), ...args);
      expect(r.ok, JSON.stringify(args)).toBe(false);
      expect(!r.ok && r.error.code).toBe('usage');
    }
  });
});
