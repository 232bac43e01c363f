// `npm start` until the desktop app exists: runs the CLI on a sample document from the
// repository, so a new user sees what Lectern extracts and finds, offline, in one command.
import { spawnSync } from 'node:child_process';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'bin', 'lectern.js');
const sample = join(root, 'test', 'fixtures', 'contracts', 'common-paper-cloud-service-agreement-with-sla.docx');
const query = 'when may the provider suspend access';

function lectern(...args: string[]): void {
  process.stdout.write(`\n$ lectern ${args.map((a) => (a.includes(' ') ? `"${a}"` : a)).join(' ')}\n`);
  const r = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

process.stdout.write(`Lectern: the desktop app is not built yet; here is the CLI on a sample document.\n`);
const rel = relative(process.cwd(), sample);
lectern('read', rel);
lectern('info', rel);
lectern('search', rel, query, '--top', '3');
