// Web mode (`npm run web`, and `npm start` without Electron's runtime): the library in the user's data folder (LECTERN_DB overrides it), served to a
// browser on 127.0.0.1. Prints the URL with its per-run token; Ctrl+C stops it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../core/model/default-model.js';
import { defaultDbPath } from '../core/paths.js';
import { createEngineClient } from '../engine/client.js';
import { startWebServer } from './server.js';

export async function runWebMode(reason?: string): Promise<void> {
  const rendererDir = join(packageRoot(), 'renderer', 'dist');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    process.stderr.write(`lectern web: ${rendererDir} is not built; run \`npm run build\` first\n`);
    process.exit(1);
  }
  // The engine's worker holds the library and the model; the server's thread only serves.
  const api = createEngineClient({ dbPath: defaultDbPath() });
  const server = await startWebServer({ api, rendererDir });
  if (reason) process.stdout.write(`${reason}\n`);
  process.stdout.write(`Lectern is running in web mode. Open this address in your browser:\n\n  ${server.url}\n\nPress Ctrl+C to stop.\n`);
  const stop = () => {
    void server.close().then(async () => {
      await api.close();
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
