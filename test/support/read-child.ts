// A reading in its own process, for the resume test (which SIGKILLs it part-way) and the
// benchmarks. Compiled to dist/test/support/read-child.js by `npm run build`.
//   node dist/test/support/read-child.js --db PATH --doc ID [--model DIR] [--device cpu]
//        [--call TOKENS] [--threads N] [--checkpoint-every TOKENS] [--graph reader|full]
// (--graph: the model's reading graph, as the app reads, by default; `full` scores while reading.)
// Prints one JSON object per line on stdout: {"type":"progress",…} while reading, then
// {"type":"result",…} with peak RSS.
import { parseArgs } from 'node:util';
import { defaultModelDir } from '../../main/core/model/default-model.js';
import { readDocument } from '../../main/core/model/reader.js';
import { openModel, type DeviceChoice, type GraphChoice } from '../../main/core/model/session.js';
import { openDb } from '../../main/core/store/db.js';

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

const print = (o: object): void => {
  process.stdout.write(JSON.stringify(o) + '\n');
};
const db = openDb(values.db);
const model = await openModel(values.model ?? defaultModelDir(), values.device as DeviceChoice, {
  callTokens: values.call ? Number(values.call) : undefined,
  intraOpThreads: values.threads ? Number(values.threads) : undefined,
  graph: values.graph as GraphChoice,
});
const result = await readDocument(db, model, Number(values.doc), {
  checkpointEvery: values['checkpoint-every'] ? Number(values['checkpoint-every']) : undefined,
  onProgress: (p) => print({ type: 'progress', ...p }),
});
await model.release();
db.close();
print({ type: 'result', ...result, callTokens: model.callTokens, peakRssMb: process.resourceUsage().maxRSS / 1024 });
