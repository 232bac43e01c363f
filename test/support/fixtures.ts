// Where test documents live. Every document a test, a benchmark's default run or the development
// questions (../shared/eval) need is in test/fixtures/ (sources and licences in
// test/fixtures/SOURCES.md), so `npm test` passes on a bare clone. ../shared/fixtures may add
// more, never replace one: a local file always wins. Other projects' test suites
// (../shared/robustness) are never copied here; tests that use them skip when it is absent.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// Works from test/support (vitest, sources) and from dist/test/support (compiled bench).
export const repoRoot = existsSync(join(here, '..', '..', 'package.json'))
  ? resolve(here, '..', '..')
  : resolve(here, '..', '..', '..');

export const localFixtures = join(repoRoot, 'test', 'fixtures');
export const sharedFixtures = resolve(repoRoot, '..', 'shared', 'fixtures');

/** Resolves a fixture by its path under fixtures/ (e.g. "papers/tracemonkey.pdf"). */
export function fixture(rel: string): string {
  const local = join(localFixtures, rel);
  if (existsSync(local)) return local;
  const shared = join(sharedFixtures, rel);
  if (existsSync(shared)) return shared;
  throw new Error(`fixture not found: ${rel} (looked in ${localFixtures} and ${sharedFixtures})`);
}

export function hasFixture(rel: string): boolean {
  return existsSync(join(localFixtures, rel)) || existsSync(join(sharedFixtures, rel));
}

/**
 * The untrained byte-level model: the engine's tests use it because one token is one byte,
 * so token counts and offsets are known exactly; the shipped default is tested separately.
 */
export const byteModelDir = join(repoRoot, 'models', 'lectern-mamba2-random');
