// Reading in a worker thread: progress at most ~4 per second, cancellation that keeps what
// was read, and a later read that resumes. The worker is the compiled dist/main/worker.js.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cancelled } from '../../main/core/errors.js';
import { loadManifest } from '../../main/core/model/manifest.js';
import type { ReadProgress } from '../../main/core/reading/reader.js';
import { readInWorker, workerScript } from '../../main/core/reading/worker-client.js';
import { openDb } from '../../main/core/store/db.js';
import { getReading } from '../../main/core/store/readings.js';
import { byteModelDir } from '../support/fixtures.js';
import { novelDocument, storeDocument } from '../support/long-document.js';

let tmp: string;
beforeAll(() => {
  if (!existsSync(workerScript())) throw new Error(`${workerScript()} is missing: run \`npm run build\` first (npm test does)`);
  tmp = mkdtempSync(join(tmpdir(), 'lectern-worker-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('readInWorker', () => {
  it('reports progress, stops on cancel keeping its work, and resumes on the next read', async () => {
    const dbPath = join(tmp, 'library.sqlite');
    const db = openDb(dbPath);
    const documentId = storeDocument(db, novelDocument(40_000));
    const modelDir = byteModelDir;
    const modelId = loadManifest(modelDir).id;

    const controller = new AbortController();
    const seen: { at: number; p: ReadProgress }[] = [];
    const cancelled = readInWorker({
      dbPath,
      modelDir,
      device: 'cpu',
      documentId,
      signal: controller.signal,
      onProgress: (p) => {
        seen.push({ at: performance.now(), p });
        if (p.tokensDone >= 0.3 * p.tokensTotal) controller.abort();
      },
    });
    await expect(cancelled).rejects.toBeInstanceOf(Cancelled);
    const stopped = getReading(db, documentId, modelId)!;
    expect(stopped.status).toBe('reading');
    expect(stopped.tokensDone).toBeGreaterThanOrEqual(seen.at(-1)!.p.tokensDone);
    expect(stopped.tokensDone).toBeLessThan(stopped.tokensTotal);

    const progress: { at: number; p: ReadProgress }[] = [];
    const result = await readInWorker({
      dbPath,
      modelDir,
      device: 'cpu',
      documentId,
      onProgress: (p) => progress.push({ at: performance.now(), p }),
    });
    expect(result.resumedFrom).toBe(stopped.tokensDone);
    expect(result.tokens).toBe(stopped.tokensTotal);
    expect(result.device).toMatchObject({ requested: 'cpu', provider: 'cpu' });
    expect(getReading(db, documentId, modelId)!.status).toBe('done');

    // Progress: rising, with rate and ETA, at most about four a second (first and last aside).
    const last = progress.at(-1)!.p;
    expect(last.tokensDone).toBe(last.tokensTotal);
    expect(last.etaSeconds).toBe(0);
    for (let i = 1; i < progress.length; i++) expect(progress[i].p.tokensDone).toBeGreaterThanOrEqual(progress[i - 1].p.tokensDone);
    const mid = progress.slice(1, -1);
    for (let i = 1; i < mid.length; i++) expect(mid[i].at - mid[i - 1].at).toBeGreaterThan(150);
    expect(progress.some((e) => e.p.tokensPerSecond > 0 && e.p.etaSeconds !== null && e.p.etaSeconds > 0)).toBe(true);
    db.close();
  });

  it('carries errors across with their message', async () => {
    const dbPath = join(tmp, 'missing.sqlite');
    openDb(dbPath).close();
    await expect(readInWorker({ dbPath, modelDir: byteModelDir, device: 'cpu', documentId: 12345 })).rejects.toThrow(/12345|not found/i);
  });
});
