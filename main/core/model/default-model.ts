// Where the bundled model lives: <package root>/models/<id named in models/default.txt>.
// LECTERN_MODEL overrides it with a model id (a folder under models/) or a path to a folder.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest folder above this module holding package.json (works from sources and dist/). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

export function defaultModelDir(): string {
  const root = packageRoot();
  const override = process.env.LECTERN_MODEL?.trim();
  if (override) {
    if (isAbsolute(override) || override.includes('/') || override.includes('\\')) return resolve(override);
    return join(root, 'models', override);
  }
  const file = join(root, 'models', 'default.txt');
  if (!existsSync(file)) throw new Error(`no default model: ${file} is missing`);
  const id = readFileSync(file, 'utf8').trim();
  if (!/^[A-Za-z0-9._-]+$/.test(id)) throw new Error(`${file} must hold one model id, got ${JSON.stringify(id)}`);
  return join(root, 'models', id);
}
