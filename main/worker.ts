// The reading worker: runs readDocument (or the scoring pass) in a worker thread with its own
// database connection and model session, so the caller's event loop (CLI spinner, app UI, web
// server) stays free.
// Started by main/core/model/worker-client.ts; the protocol lives there.
import { parentPort, workerData } from 'node:worker_threads';
import { openDb, READING_PAGE_CACHE_KIB, type Db } from './core/store/db.js';
import { loadManifest } from './core/model/manifest.js';
import { readDocument, type ReadProgress } from './core/reading/reader.js';
import { scoreDocument } from './core/reading/scorer.js';
import { openModel, type GraphChoice } from './core/model/session.js';
import { getReading } from './core/store/readings.js';
import { serialiseError, type ToWorker, type FromWorker, type WorkerArgs } from './core/reading/worker-client.js';

async function main(port: NonNullable<typeof parentPort>, args: WorkerArgs): Promise<void> {
  const post = (m: FromWorker): void => port.postMessage(m);
  const controller = new AbortController();
  port.on('message', (m: ToWorker) => {
    if (m.type === 'cancel') controller.abort();
  });
  const db = openDb(args.dbPath, { pageCacheKiB: READING_PAGE_CACHE_KIB });
  let finished: FromWorker;
  try {
    const model = await openModel(args.modelDir, args.device, { graph: graphFor(db, args) });
    try {
      const options = { signal: controller.signal, onProgress: (progress: ReadProgress) => post({ type: 'progress', progress }) };
      if (args.task === 'score') {
        await scoreDocument(db, model, args.documentId, options);
        finished = { type: 'scored' };
      } else {
        finished = { type: 'result', result: await readDocument(db, model, args.documentId, options) };
      }
    } finally {
      await model.release();
    }
  } finally {
    db.close();
  }
  // Last, after closing: the client terminates the worker as soon as it has the answer.
  post(finished);
}

/**
 * Scoring needs the full graph; so does continuing a reading that was started with it (its
 * sums must cover every token). Anything else reads with the reading graph, when the model has
 * one.
 */
function graphFor(db: Db, args: WorkerArgs): GraphChoice {
  if (args.task === 'score') return 'full';
  const previous = getReading(db, args.documentId, loadManifest(args.modelDir).id);
  return previous?.status === 'reading' && previous.scored ? 'full' : 'reader';
}

if (!parentPort) throw new Error('main/worker.js runs as a worker thread; use readInWorker()');
const port = parentPort;
main(port, workerData as WorkerArgs)
  .catch((e: unknown) => port.postMessage({ type: 'error', error: serialiseError(e) } satisfies FromWorker))
  .finally(() => port.removeAllListeners('message'));
