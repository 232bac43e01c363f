// The model every user gets: it loads with its hashes checked, uses its BPE tokenizer, and
// has learned English — it predicts a public-domain novel it never trained on far better than
// the untrained model of the same contract does.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultModelDir } from '../../main/core/model/default-model.js';
import { loadManifest } from '../../main/core/model/manifest.js';
import { readDocument } from '../../main/core/model/reader.js';
import { openModel } from '../../main/core/model/session.js';
import { openDb } from '../../main/core/store/db.js';
import { byteModelDir } from '../support/fixtures.js';
import { novelDocument, storeDocument } from '../support/long-document.js';

const tmp = mkdtempSync(join(tmpdir(), 'lectern-default-model-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function bitsPerByte(modelDir: string, name: string): Promise<{ bpb: number; tokens: number }> {
  const db = openDb(join(tmp, `${name}.sqlite`));
  const id = storeDocument(db, novelDocument(40_000));
  const model = await openModel(modelDir, 'cpu');
  try {
    const r = await readDocument(db, model, id);
    return { bpb: r.bitsPerByte, tokens: r.tokens };
  } finally {
    await model.release();
    db.close();
  }
}

describe('the shipped default model', () => {
  it('is a trained model whose files match their manifest hashes', () => {
    const m = loadManifest(defaultModelDir(), { verifyHashes: true });
    expect(m.trained).toBe(true);
    expect(m.tokenizer.type).toBe('bpe');
  });

  it('predicts English prose it never saw far better than the untrained model', async () => {
    const trained = await bitsPerByte(defaultModelDir(), 'trained');
    const untrained = await bitsPerByte(byteModelDir, 'untrained');
    // BPE packs several bytes into a token; the byte model has one token per byte.
    expect(trained.tokens).toBeLessThan(untrained.tokens / 2.5);
    expect(untrained.bpb).toBeGreaterThan(7);
    expect(trained.bpb).toBeLessThan(2.5);
  });
});
