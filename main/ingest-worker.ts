// The parser thread: ingests one PDF, DOCX or EPUB and reports each stage as it starts, so the
// caller (main/core/ingest/bounded.ts, which holds the protocol) can terminate it when a page or
// the whole document takes too long.
import { parentPort, workerData } from 'node:worker_threads';
import type { FromIngestWorker, IngestWorkerArgs } from './core/ingest/bounded.js';
import { ingest } from './core/ingest/index.js';
import { errorToWire } from '../common/errors.js';

if (!parentPort) throw new Error('main/ingest-worker.js runs as a worker thread; use ingestBounded()');
const port = parentPort;
const post = (m: FromIngestWorker): void => port.postMessage(m);
const args = workerData as IngestWorkerArgs;
try {
  const doc = await ingest(args.bytes, {
    fileName: args.fileName,
    password: args.password,
    maxBytes: args.maxBytes,
    skip: args.skip,
    onStage: (report) => post({ type: 'stage', report }),
    onProgress: (done, total) => post({ type: 'progress', done, total }),
  });
  post({ type: 'result', doc });
} catch (e) {
  post({ type: 'error', error: errorToWire(e) });
}
