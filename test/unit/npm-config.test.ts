// npm itself stays quiet in this project: no project config npm does not know (npm 11 warns
// "Unknown project config" on every call for one), and onnxruntime-node's install script, which
// would download CUDA libraries (unreachable offline), is denied through package.json's
// allowScripts instead.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/fixtures.js';

describe('npm in the project root', () => {
  it('prints no warning', () => {
    const r = spawnSync('npm', ['ls', '--depth=0'], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
    expect(r.error).toBeUndefined();
    expect(r.stderr).not.toMatch(/warn/i);
  });

  it("denies onnxruntime-node's install script and allows better-sqlite3's", () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { allowScripts: Record<string, boolean> };
    expect(pkg.allowScripts['onnxruntime-node']).toBe(false);
    expect(pkg.allowScripts['better-sqlite3']).toBe(true);
  });
});
