// The engine through its client, as every front end uses it: a long-lived worker thread (the
// compiled dist/main/engine/worker.js) that adds, searches and reads; progress at most ~4 per
// second; a cancel that keeps what was read and a next read that resumes on the same engine;
// errors that come back as their class; a crashed engine that fails its pending calls with
// 'engine-crashed' and is replaced on the next call.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Progress } from '../../common/types.js';
import { LecternError } from '../../common/errors.js';
import { Cancelled, InputRejected, UsageError } from '../../main/core/errors.js';
import { loadManifest } from '../../main/core/model/manifest.js';
import { openDb } from '../../main/core/store/db.js';
import { DocumentNotFound, getDocument } from '../../main/core/store/documents.js';
import { getReading } from '../../main/core/store/readings.js';
import { createEngineClient } from '../../main/engine/client.js';
import { ENGINE_WORKER_LIMITS, engineWorkerScript, overWorker } from '../../main/engine/worker-thread-transport.js';
import { byteModelDir, fixture, repoRoot } from '../support/fixtures.js';
import { novelDocument, storeDocument } from '../support/long-document.js';

let tmp: string;
beforeAll(() => {
  if (!existsSync(engineWorkerScript())) throw new Error(`${engineWorkerScript()} is missing: run \`npm run build\` first (npm test does)`);
  tmp = mkdtempSync(join(tmpdir(), 'lectern-engine-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A stored novel of about `bytes` bytes, and its id as the API names it. */
function storedNovel(dbPath: string, bytes: number): { rowId: number; id: string } {
  const db = openDb(dbPath);
  const rowId = storeDocument(db, novelDocument(bytes));
  const id = getDocument(db, rowId)!.sha256;
  db.close();
  return { rowId, id };
}

describe('engine client', () => {
  it('reports progress, stops on cancel keeping its work, and resumes on the next read', async () => {
    const dbPath = join(tmp, 'library.sqlite');
    const { rowId, id } = storedNovel(dbPath, 40_000);
    const modelId = loadManifest(byteModelDir).id;
    const engine = createEngineClient({ dbPath, modelDir: byteModelDir });
    try {
      const controller = new AbortController();
      const seen: { at: number; p: Progress }[] = [];
      const cancelled = engine.read(id, {
        device: 'cpu',
        signal: controller.signal,
        onProgress: (p) => {
          seen.push({ at: performance.now(), p });
          if (p.done >= 0.3 * p.total) controller.abort(new Cancelled('interrupted'));
        },
      });
      await expect(cancelled).rejects.toBeInstanceOf(Cancelled);
      await expect(cancelled).rejects.toMatchObject({ code: 'cancelled', message: 'interrupted' });
      const db = openDb(dbPath);
      const stopped = getReading(db, rowId, modelId)!;
      expect(stopped.status).toBe('reading');
      expect(stopped.tokensDone).toBeGreaterThanOrEqual(seen.at(-1)!.p.done);
      expect(stopped.tokensDone).toBeLessThan(stopped.tokensTotal);

      const progress: { at: number; p: Progress }[] = [];
      const result = await engine.read(id, { device: 'cpu', onProgress: (p) => progress.push({ at: performance.now(), p }) });
      expect(result.resumedFrom).toBe(stopped.tokensDone);
      expect(result.tokens).toBe(stopped.tokensTotal);
      expect(result.device).toMatchObject({ requested: 'cpu', provider: 'cpu' });
      expect(getReading(db, rowId, modelId)!.status).toBe('done');
      db.close();

      // Progress: rising, with rate and ETA, at most about four a second (first and last aside).
      const last = progress.at(-1)!.p;
      expect(last).toMatchObject({ stage: 'reading', done: last.total, etaMs: 0 });
      for (let i = 1; i < progress.length; i++) expect(progress[i].p.done).toBeGreaterThanOrEqual(progress[i - 1].p.done);
      const mid = progress.slice(1, -1);
      for (let i = 1; i < mid.length; i++) expect(mid[i].at - mid[i - 1].at).toBeGreaterThan(150);
      expect(progress.some((e) => (e.p.tokensPerSecond ?? 0) > 0 && e.p.etaMs !== null && e.p.etaMs > 0)).toBe(true);

      // A finished reading is answered from the store; the document says it was read.
      expect(await engine.read(id)).toMatchObject({ cached: true, tokens: result.tokens, tokensPerSecond: null });
      expect((await engine.getDocument(id)).reading).toMatchObject({ modelId, status: 'done', tokensDone: result.tokens });
    } finally {
      await engine.close();
    }
  });

  it('adds from a path and from bytes, lists, shows, searches and removes by SHA-256', async () => {
    const engine = createEngineClient({ dbPath: join(tmp, 'add.sqlite'), modelDir: byteModelDir });
    try {
      const path = fixture('novels/sherlock_holmes.txt');
      const added = await engine.addPath(path);
      expect(added.cached).toBe(false);
      expect(added.document).toMatchObject({ format: 'txt', fileName: 'sherlock_holmes.txt', reading: null, pages: null });
      expect(added.document.id).toMatch(/^[0-9a-f]{64}$/);
      const again = await engine.addBytes('copy.txt', new Uint8Array(readFileSync(path)));
      expect(again).toMatchObject({ cached: true, document: { id: added.document.id } });

      expect((await engine.listDocuments()).map((d) => d.id)).toEqual([added.document.id]);
      const text = await engine.getText(added.document.id);
      for (const b of text.blocks.slice(0, 50)) expect(text.text.slice(b.start, b.end)).toBe(b.text);
      // The outline is the text's headings and block count, without the text.
      const outline = await engine.getOutline(added.document.id);
      expect(outline).toMatchObject({ id: added.document.id, language: 'en', blocks: text.blocks.length });
      expect(outline.headings).toEqual(text.blocks.filter((b) => b.kind === 'heading'));
      expect(outline.headings.map((h) => h.text)).toContain('I. A SCANDAL IN BOHEMIA');
      const hits = await engine.search(added.document.id, 'Irene Adler photograph', 3);
      expect(hits.length).toBeGreaterThan(0);
      expect(text.text.slice(hits[0].start, hits[0].end)).toBe(hits[0].quote);

      await engine.removeDocument(added.document.id);
      expect(await engine.listDocuments()).toEqual([]);
      await expect(engine.getDocument(added.document.id)).rejects.toBeInstanceOf(DocumentNotFound);
      await expect(engine.getDocument('not-an-id')).rejects.toBeInstanceOf(UsageError);
      await expect(engine.addBytes('empty.txt', new Uint8Array(0))).rejects.toBeInstanceOf(InputRejected);
      await expect(engine.addPath(join(tmp, 'missing.pdf'))).rejects.toMatchObject({ code: 'usage', message: expect.stringMatching(/^no such file/) });
      // An empty library answers nothing: declined, with no citation.
      await expect(engine.ask(null, 'anything')).resolves.toMatchObject({ found: false, citations: [] });
    } finally {
      await engine.close();
    }
  });

  it('fails the calls of a crashed engine with engine-crashed and starts a new one for the next call', async () => {
    const dbPath = join(tmp, 'crash.sqlite');
    const { id } = storedNovel(dbPath, 200_000);
    const workers: Worker[] = [];
    const dying = join(repoRoot, 'dist', 'test', 'support', 'dying-engine.js');
    const engine = createEngineClient({
      dbPath,
      transport: () => {
        const w = new Worker(dying, { workerData: { dbPath, modelDir: byteModelDir }, resourceLimits: ENGINE_WORKER_LIMITS });
        workers.push(w);
        return overWorker(w);
      },
    });
    try {
      let crashed = false;
      const reading = engine.read(id, {
        device: 'cpu',
        onProgress: (p) => {
          if (!crashed && p.done > 0) {
            crashed = true;
            workers[0].postMessage({ type: 'die' });
          }
        },
      });
      const error = await reading.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LecternError);
      expect(error).toMatchObject({ code: 'engine-crashed' });
      const info = await engine.info();
      expect(info.model.dir).toBe(byteModelDir);
      expect(workers).toHaveLength(2);
      // The crashed reading left a consistent store: it resumes from its last checkpoint.
      const done = await engine.read(id, { device: 'cpu' });
      expect(done.tokens).toBeGreaterThan(0);
    } finally {
      await engine.close();
    }
  });
});
