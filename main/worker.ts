// The reading worker: runs readDocument in a worker thread with its own database connection
// and model session, so the caller's event loop (CLI spinner, app UI, web server) stays free.
// Started by main/core/model/worker-client.ts; the protocol lives there.
import { parentPort, workerData } from 'node:worker_threads';
import { openDb } from './core/store/db.js';
import { readDocument, type ReadResult } from './core/model/reader.js';
import { openModel } from './core/model/session.js';
import { serialiseError, type ToWorker, type FromWorker, type WorkerArgs } from './core/model/worker-client.js';

async function main(port: NonNullable<typeof parentPort>, args: WorkerArgs): Promise<void> {
  const post = (m: FromWorker): void => port.postMessage(m);
  const controller = new AbortController();
  port.on('message', (m: ToWorker) => {
    if (m.type === 'cancel') controller.abort();
  });
  const db = openDb(args.dbPath);
  let result: ReadResult;
  try {
    const model = await openModel(args.modelDir, args.device);
    try {
      result = await readDocument(db, model, args.documentId, {
        signal: controller.signal,
        onProgress: (progress) => post({ type: 'progress', progress }),
      });
    } finally {
      await model.release();
    }
  } finally {
    db.close();
  }
  // Last, after closing: the client terminates the worker as soon as it has the answer.
  post({ type: 'result', result });
}

if (!parentPort) throw new Error('main/worker.js runs as a worker thread; use readInWorker()');
const port = parentPort;
main(port, workerData as WorkerArgs)
  .catch((e: unknown) => port.postMessage({ type: 'error', error: serialiseError(e) } satisfies FromWorker))
  .finally(() => port.removeAllListeners('message'));
