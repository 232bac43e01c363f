// `npm start`: the desktop app when Electron's runtime is here (or can be fetched), otherwise
// the same UI in web mode, saying why and printing the address to open.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from './core/model/default-model.js';
import { fetchElectronRuntime, findElectronRuntime } from './electron-runtime.js';
import { runWebMode } from './web/run-web-mode.js';

const FETCH_TIMEOUT_MS = 60_000;

let runtime = findElectronRuntime();
if (runtime.kind === 'missing' && process.env.LECTERN_WEB !== '1') {
  process.stdout.write(`Lectern: ${runtime.reason}; trying to fetch it…\n`);
  runtime = fetchElectronRuntime(FETCH_TIMEOUT_MS);
}
if (runtime.kind === 'found' && process.env.LECTERN_WEB !== '1') {
  const child = spawn(runtime.binary, [join(packageRoot(), 'dist', 'main', 'app', 'main.js'), ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const why = runtime.kind === 'missing' ? runtime.reason : 'LECTERN_WEB=1';
  await runWebMode(`Lectern: the desktop window is not available (${why}); starting web mode instead.`);
}
