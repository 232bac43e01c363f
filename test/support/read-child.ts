// A reading in its own process, for the resume test (which SIGKILLs it part-way) and the
// benchmarks. Compiled to dist/test/support/read-child.js by `npm run build`.
//   node dist/test/support/read-child.js --db PATH --doc ID [--model DIR] [--device cpu]
//        [--call TOKENS] [--threads N] [--checkpoint-every TOKENS] [--graph reader|full]
// (--graph: the model's reading graph, as the app reads, by default; `full` scores while reading.)
// Prints one JSON object per line on stdout: {"type":"progress",…} while reading, then
// {"type":"result",…} with the process's peak RSS. The reading runs in a worker thread with the
// engine's worker limits (ENGINE_WORKER_LIMITS), as `lectern read` runs it.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { parseArgs } from 'node:util';
import { defaultModelDir } from '../../main/core/model/default-model.js';
import { emptyStages, readDocument } from '../../main/core/reading/reader.js';
import { openModel, type DeviceChoice, type GraphChoice } from '../../main/core/model/session.js';
import { ENGINE_WORKER_LIMITS as READING_WORKER_LIMITS } from '../../main/engine/worker-thread-transport.js';
import { openDb, READING_PAGE_CACHE_KIB } from '../../main/core/store/db.js';

interface Options {
  db: string;
  doc: number;
  model: string;
  device: DeviceChoice;
  call?: number;
  threads?: number;
  checkpointEvery?: number;
  graph: GraphChoice;
}

const print = (o: object): void => {
  process.stdout.write(JSON.stringify(o) + '\n');
};

function options(): Options {
  const { values } = parseArgs({
    options: {
      db: { type: 'string' },
      doc: { type: 'string' },
      model: { type: 'string' },
      device: { type: 'string', default: 'cpu' },
      call: { type: 'string' },
      threads: { type: 'string' },
      'checkpoint-every': { type: 'string' },
      graph: { type: 'string', default: 'reader' },
    },
  });
  if (!values.db || !values.doc) throw new Error('usage: read-child --db PATH --doc ID [--model DIR] [--device cpu|gpu|auto]');
  if (values.graph !== 'reader' && values.graph !== 'full') throw new Error('--graph must be reader or full');
  const number = (v: string | undefined): number | undefined => (v ? Number(v) : undefined);
  return {
    db: values.db,
    doc: Number(values.doc),
    model: values.model ?? defaultModelDir(),
    device: values.device as DeviceChoice,
    call: number(values.call),
    threads: number(values.threads),
    checkpointEvery: number(values['checkpoint-every']),
    graph: values.graph,
  };
}

async function read(o: Options, post: (m: object) => void): Promise<void> {
  const db = openDb(o.db, { pageCacheKiB: READING_PAGE_CACHE_KIB });
  const model = await openModel(o.model, o.device, { callTokens: o.call, intraOpThreads: o.threads, graph: o.graph });
  const stages = emptyStages();
  const result = await readDocument(db, model, o.doc, {
    checkpointEvery: o.checkpointEvery,
    onProgress: (p) => post({ type: 'progress', ...p }),
    stages,
  });
  await model.release();
  db.close();
  post({ type: 'result', ...result, callTokens: model.callTokens, stages });
}

if (isMainThread) {
  const worker = new Worker(new URL(import.meta.url), { workerData: options(), resourceLimits: READING_WORKER_LIMITS });
  worker.on('message', (m: { type: string }) => {
    print(m.type === 'result' ? { ...m, peakRssMb: process.resourceUsage().maxRSS / 1024 } : m);
    if (m.type === 'result') void worker.terminate();
  });
  worker.on('error', (e) => {
    console.error(e);
    process.exitCode = 1;
  });
} else {
  await read(workerData as Options, (m) => parentPort!.postMessage(m));
}
