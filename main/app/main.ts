// Electron's main process: one window on the app scheme, locked down (window-security.ts), the
// engine in a utilityProcess reached over a MessagePort, and the OS integration: single
// instance, files opened from the command line, the OS (open-file), the File menu and drag and
// drop, recent documents, progress on the taskbar or dock. Data lives in userData.
import { app, BrowserWindow, dialog, ipcMain, Menu, MessageChannelMain, protocol, session, shell, utilityProcess, type MenuItemConstructorOptions } from 'electron';
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { IPC } from '../../common/ipc-channels.js';
import type { Progress } from '../../common/types.js';
import { packageRoot } from '../core/model/default-model.js';
import { connectApi, type PortLike } from '../transport/port-rpc.js';
import { APP_ENTRY, APP_SCHEME, appSchemeHandler } from './app-scheme.js';
import { openableFiles } from './open-files.js';
import { registerIpc, type IpcMainLike } from './ipc.js';
import { guardContents, guardSession } from './window-security.js';
import { mainWindowOptions } from './window-options.js';

app.enableSandbox();
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const root = packageRoot();
  // Packaged, the model is an extra resource beside the asar archive (electron-builder.yml).
  if (app.isPackaged && !process.env.LECTERN_MODEL) {
    const models = join(process.resourcesPath, 'models');
    process.env.LECTERN_MODEL = join(models, readFileSync(join(models, 'default.txt'), 'utf8').trim());
  }
  const dbPath = process.env.LECTERN_DB ?? join(app.getPath('userData'), 'library.sqlite');
  let window: BrowserWindow | null = null;

  // The engine: a utilityProcess with one MessagePort each way.
  const { port1, port2 } = new MessageChannelMain();
  const engine = utilityProcess.fork(join(root, 'dist', 'main', 'app', 'engine-process.js'), [], { serviceName: 'Lectern engine', env: { ...process.env, LECTERN_DB: dbPath } });
  engine.postMessage(null, [port2]);
  const api = connectApi(port1 as unknown as PortLike);
  port1.start();
  engine.on('exit', (code) => api.failAll(`the engine stopped (exit code ${code})`));

  const showProgress = (p: Progress | null) => window?.setProgressBar(p === null || p.total === 0 ? -1 : p.done / p.total);

  const openFiles = async (paths: string[]) => {
    for (const path of openableFiles(paths)) {
      try {
        const r = await api.addPath(path, { onProgress: showProgress });
        app.addRecentDocument(path);
        window?.webContents.send(IPC.LIBRARY_CHANGED);
        await api.read(r.document.id, { onProgress: showProgress });
      } catch (e) {
        dialog.showErrorBox('Lectern', `${path}: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        showProgress(null);
        window?.webContents.send(IPC.LIBRARY_CHANGED);
      }
    }
  };

  const menu: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        {
          label: '&Open…',
          accelerator: 'CmdOrCtrl+O',
          click: async () => {
            const r = await dialog.showOpenDialog({ properties: ['openFile', 'multiSelections'], filters: [{ name: 'Documents', extensions: ['pdf', 'docx', 'epub', 'txt', 'md'] }] });
            if (!r.canceled) await openFiles(r.filePaths);
          },
        },
        { role: 'recentDocuments' as const, submenu: [{ role: 'clearRecentDocuments' as const }] },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];

  app.on('second-instance', (_e, argv) => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
    void openFiles(argv.slice(1));
  });
  const openedBeforeReady: string[] = [];
  app.on('open-file', (e, path) => {
    e.preventDefault();
    if (app.isReady()) void openFiles([path]);
    else openedBeforeReady.push(path);
  });

  app.whenReady().then(() => {
    protocol.handle(APP_SCHEME, appSchemeHandler(realpathSync(join(root, 'renderer', 'dist'))));
    guardSession(session.defaultSession);
    app.on('web-contents-created', (_e, contents) => guardContents(contents, (url) => void shell.openExternal(url)));
    registerIpc(ipcMain as unknown as IpcMainLike, api, () => window?.webContents.id ?? null);
    Menu.setApplicationMenu(Menu.buildFromTemplate(menu));
    window = new BrowserWindow(mainWindowOptions(join(root, 'dist', 'preload', 'preload.cjs')));
    window.once('ready-to-show', () => window?.show());
    window.on('closed', () => {
      window = null;
    });
    void window.loadURL(APP_ENTRY).then(() => openFiles([...openedBeforeReady, ...process.argv.slice(process.defaultApp ? 2 : 1)]));
  });

  app.on('window-all-closed', () => {
    engine.kill();
    app.quit();
  });
}
