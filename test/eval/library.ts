// The evaluation's library: every development document added and read once by the default model,
// kept in a gitignored file (.cache/eval/) so that repeated `npm run eval` runs re-read nothing.
// The model id is part of the file name: a new model gets a library of its own.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Library } from '../../main/core/library.js';
import { defaultModelDir } from '../../main/core/model/default-model.js';
import { loadManifest } from '../../main/core/model/manifest.js';
import { fixture } from '../support/fixtures.js';
import { repoRoot } from '../support/fixtures.js';
import { readStored } from '../support/read-stored.js';

export const evalCacheDir = join(repoRoot, '.cache', 'eval');

export interface EvalLibrary {
  library: Library;
  modelId: string;
  /** Fixture path (as in the question files) → document id in the library. */
  ids: Map<string, number>;
  readSeconds: number;
}

/** `name` keeps other libraries (the ranker's training corpus, test/train) apart from the eval's. */
export async function openEvalLibrary(docs: string[], log: (line: string) => void = () => {}, name = 'library'): Promise<EvalLibrary> {
  const modelId = loadManifest(defaultModelDir()).id;
  mkdirSync(evalCacheDir, { recursive: true });
  const library = Library.open(join(evalCacheDir, `${name}-${modelId}.sqlite`));
  const ids = new Map<string, number>();
  let readSeconds = 0;
  for (const doc of docs) {
    const { row } = await library.add(fixture(doc));
    const read = await readStored(library, row.id);
    if (read.seconds > 0) log(`eval: read ${doc} (${read.tokens.toLocaleString('en-US')} tokens) in ${read.seconds.toFixed(0)} s`);
    readSeconds += read.seconds;
    ids.set(doc, row.id);
  }
  return { library, modelId, ids, readSeconds };
}
