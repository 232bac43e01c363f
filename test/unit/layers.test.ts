// The layering lint (eslint.config.js) refuses imports that cross a layer the wrong way and
// import cycles: each case is linted as if it were a file at that path, against the real tree.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/fixtures.js';

const eslint = new ESLint({ cwd: repoRoot });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layers', () => {
  it.each([
    ['main/core/reading/probe.ts', "import { createEngineClient } from '../../engine/client.js';\nvoid createEngineClient;\n", /no-restricted-imports.*must not import the engine/],
    ['main/core/probe.ts', "import '../cli.js';\n", /no-restricted-imports.*must not import the engine, the CLI/],
    ['main/core/model/probe.ts', "import { openDb } from '../store/db.js';\nvoid openDb;\n", /no-restricted-imports.*runtime alone/],
    ['main/core/store/probe.ts', "import { loadManifest } from '../model/manifest.js';\nvoid loadManifest;\n", /no-restricted-imports.*SQL only/],
    ['common/probe.ts', "import { readFileSync } from 'node:fs';\nvoid readFileSync;\n", /no-restricted-imports.*only its own modules/],
    ['renderer/probe.ts', "import { Library } from '../main/core/library.js';\nvoid Library;\n", /no-restricted-imports.*only through common/],
  ])('%s: refused', async (path, code, expected) => {
    expect((await problems(path, code)).join('\n')).toMatch(expected);
  });

  it('allows what the layers allow', async () => {
    expect(await problems('main/core/reading/probe.ts', "import { openDb } from '../store/db.js';\nimport { loadManifest } from '../model/manifest.js';\nvoid openDb;\nvoid loadManifest;\n")).toEqual([]);
    expect(await problems('main/engine/probe.ts', "import { Library } from '../core/library.js';\nvoid Library;\n")).toEqual([]);
    expect(await problems('renderer/probe.ts', "import type { LecternApi } from '../common/api.js';\nexport type A = LecternApi;\n")).toEqual([]);
  });

  it('refuses an import cycle', async () => {
    // tokenizer.ts imports bpe.ts; bpe.ts importing tokenizer.ts back closes a cycle.
    const path = 'main/core/model/tokenizer/bpe.ts';
    const source = readFileSync(join(repoRoot, path), 'utf8');
    expect(await problems(path, source)).toEqual([]);
    expect((await problems(path, `${source}\nimport { loadTokenizer } from './tokenizer.js';\nvoid loadTokenizer;\n`)).join('\n')).toMatch(/import-x\/no-cycle/);
  });
});
