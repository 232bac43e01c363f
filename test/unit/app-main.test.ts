// main/app/main.ts wired up with `electron` mocked (its binary cannot run here): the sandbox is
// enabled for every renderer, the app scheme is privileged and handled, the session is locked,
// the window gets the isolated options and loads the app scheme, the engine runs in a
// utilityProcess, and a second instance is turned away.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const calls: Record<string, unknown[][]> = {};
const record = (name: string) => (...args: unknown[]) => {
  (calls[name] ??= []).push(args);
};
let singleInstance = true;

vi.mock('electron', () => {
  const port = () => ({ on: vi.fn(), postMessage: vi.fn(), start: vi.fn() });
  class BrowserWindow {
    webContents = { id: 1, send: vi.fn() };
    constructor(options: unknown) {
      record('BrowserWindow')(options);
    }
    loadURL(url: string) {
      record('loadURL')(url);
      return Promise.resolve();
    }
    once = vi.fn();
    on = vi.fn();
    setProgressBar = vi.fn();
  }
  return {
    app: {
      enableSandbox: record('enableSandbox'),
      requestSingleInstanceLock: () => singleInstance,
      quit: record('quit'),
      getPath: () => '/tmp/lectern-user-data',
      on: record('app.on'),
      whenReady: () => Promise.resolve(),
      isReady: () => true,
      addRecentDocument: record('addRecentDocument'),
    },
    protocol: { registerSchemesAsPrivileged: record('registerSchemesAsPrivileged'), handle: record('protocol.handle') },
    session: {
      defaultSession: {
        setPermissionRequestHandler: record('setPermissionRequestHandler'),
        setPermissionCheckHandler: record('setPermissionCheckHandler'),
        webRequest: { onBeforeRequest: record('onBeforeRequest') },
      },
    },
    ipcMain: { handle: record('ipcMain.handle'), on: record('ipcMain.on') },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: record('setApplicationMenu') },
    MessageChannelMain: class {
      port1 = port();
      port2 = port();
    },
    utilityProcess: { fork: (...a: unknown[]) => (record('fork')(...a), { postMessage: vi.fn(), on: vi.fn(), kill: vi.fn() }) },
    dialog: { showOpenDialog: vi.fn(), showErrorBox: vi.fn() },
    shell: { openExternal: vi.fn() },
    BrowserWindow,
  };
});

async function load(): Promise<void> {
  vi.resetModules();
  for (const k of Object.keys(calls)) delete calls[k];
  await import('../../main/app/main.js');
  await new Promise((r) => setTimeout(r, 20));
}

describe('the Electron main process (electron mocked)', () => {
  beforeEach(() => {
    singleInstance = true;
  });

  it('locks everything down before and after ready', async () => {
    await load();
    expect(calls.enableSandbox).toHaveLength(1);
    expect(calls.registerSchemesAsPrivileged[0][0]).toEqual([{ scheme: 'lectern', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);
    expect(calls['protocol.handle'][0][0]).toBe('lectern');
    expect(calls.setPermissionRequestHandler).toHaveLength(1);
    expect(calls.onBeforeRequest).toHaveLength(1);
    expect(calls['ipcMain.handle'][0][0]).toBe('lectern:call');
    const options = calls.BrowserWindow[0][0] as { webPreferences: Record<string, unknown> };
    expect(options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(String(options.webPreferences.preload)).toMatch(/dist\/preload\/preload\.cjs$/);
    expect(calls.loadURL[0][0]).toBe('lectern://app/index.html');
    expect(String(calls.fork[0][0])).toMatch(/engine-process\.js$/);
    expect((calls['app.on'] ?? []).map((c) => c[0])).toEqual(expect.arrayContaining(['second-instance', 'open-file', 'web-contents-created', 'window-all-closed']));
  });

  it('quits when another instance is running', async () => {
    singleInstance = false;
    await load();
    expect(calls.quit).toHaveLength(1);
    expect(calls.BrowserWindow).toBeUndefined();
  });
});
