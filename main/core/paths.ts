// Where the library lives by default: the platform's per-user data folder. `--db` and
// LECTERN_DB override it (tests always do).
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDbPath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.LECTERN_DB) return env.LECTERN_DB;
  return join(dataDir(env, platform), 'library.sqlite');
}

function dataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Lectern');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Lectern');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'lectern');
}
