// Whether Electron's runtime (the binary the `electron` package downloads on first use) is on
// this machine, and fetching it when it is not. Machines that reach only the npm registry
// cannot fetch it; `npm start` then falls back to web mode.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type ElectronRuntime = { kind: 'found'; binary: string } | { kind: 'missing'; reason: string };

function packageDir(): string | null {
  try {
    return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

export function findElectronRuntime(): ElectronRuntime {
  const dir = packageDir();
  if (dir === null) return { kind: 'missing', reason: 'the electron package is not installed' };
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return { kind: 'missing', reason: "Electron's runtime has not been downloaded" };
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { kind: 'found', binary } : { kind: 'missing', reason: `${binary} is missing` };
}

/** Runs the electron package's own installer (a download) once, bounded in time. */
export function fetchElectronRuntime(timeoutMs: number): ElectronRuntime {
  const dir = packageDir();
  if (dir === null) return { kind: 'missing', reason: 'the electron package is not installed' };
  const r = spawnSync(process.execPath, [join(dir, 'install.js')], { stdio: 'ignore', timeout: timeoutMs });
  if (r.status !== 0) return { kind: 'missing', reason: "Electron's runtime could not be fetched: its download is not reachable" };
  return findElectronRuntime();
}
