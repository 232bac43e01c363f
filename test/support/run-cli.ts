// Runs the built CLI as a user would (a child process), with its own library file.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './fixtures.js';

export interface CliRun { code: number; stdout: string; stderr: string }

const bin = join(repoRoot, 'bin', 'lectern.js');

export function runCli(args: string[], options: { db: string; timeoutMs?: number; env?: NodeJS.ProcessEnv }): CliRun {
  if (!existsSync(join(repoRoot, 'dist', 'main', 'cli.js'))) {
    throw new Error('dist/ is missing: run `npm run build` (npm test does) before the CLI tests');
  }
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 120_000,
    env: { ...process.env, ...options.env, LECTERN_DB: options.db },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
