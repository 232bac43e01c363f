// Where a call's time goes under an execution provider: onnxruntime's own profiler over a few
// calls, summed by operator type. For finding the GPU path's bottleneck on the GPU machine:
//   node dist/test/bench/engine-profile.js --model models/<id> --device gpu --call 16384
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import ort from 'onnxruntime-node';
import { loadManifest } from '../../main/core/model/manifest.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    device: { type: 'string', default: 'gpu' },
    call: { type: 'string', default: '4096' },
    calls: { type: 'string', default: '3' },
  },
});
if (!values.model) throw new Error('usage: engine-profile --model DIR [--device gpu|cpu] [--call T] [--calls N]');
const m = loadManifest(values.model);
const T = Number(values.call);
const provider = values.device === 'gpu' ? 'webgpu' : 'cpu';
const session = await ort.InferenceSession.create(`${values.model}/model.onnx`, {
  executionProviders: [provider],
  enableProfiling: true,
  profileFilePrefix: join(tmpdir(), `lectern-profile-${process.pid}`),
});

const ids = BigInt64Array.from({ length: T }, (_, i) => BigInt(4 + (i * 7919) % (m.vocab_size - 4)));
const feeds: Record<string, ort.Tensor> = {
  input_ids: new ort.Tensor('int64', ids, [1, T]),
  target_ids: new ort.Tensor('int64', ids, [1, T]),
  valid_len: new ort.Tensor('int64', BigInt64Array.of(BigInt(T)), [1]),
};
for (let i = 0; i < m.n_layer; i++) {
  feeds[`past_conv.${i}`] = new ort.Tensor('float32', new Float32Array(m.conv_dim * (m.d_conv - 1)), [1, m.conv_dim, m.d_conv - 1]);
  feeds[`past_ssm.${i}`] = new ort.Tensor('float32', new Float32Array(m.nheads * m.headdim * m.d_state), [1, m.nheads, m.headdim, m.d_state]);
}
const fetches = ['logprobs', 'embeddings', ...Array.from({ length: m.n_layer }, (_, i) => [`present_conv.${i}`, `present_ssm.${i}`]).flat()];
const wall: number[] = [];
const fetchOnly: Record<string, number[]> = { 'logprobs+embeddings+state': [], 'logprobs+state': [] };
for (let c = 0; c < Number(values.calls); c++) {
  let t0 = performance.now();
  await session.run(feeds, fetches);
  wall.push(performance.now() - t0);
  fetchOnly['logprobs+embeddings+state'].push(performance.now() - t0);
  t0 = performance.now();
  await session.run(feeds, fetches.filter((f) => f !== 'embeddings'));
  fetchOnly['logprobs+state'].push(performance.now() - t0);
}
session.endProfiling();
// onnxruntime-node names the file itself (prefix + timestamp) and does not return the name.
const prefix = `lectern-profile-${process.pid}`;
const found = readdirSync(tmpdir()).find((f) => f.startsWith(prefix) && f.endsWith('.json'));
if (!found) throw new Error(`no profile written to ${tmpdir()}/${prefix}*.json`);
const file = join(tmpdir(), found);
const events = JSON.parse(readFileSync(file, 'utf8')) as { cat: string; name: string; dur: number; args?: { op_name?: string; provider?: string } }[];
rmSync(file, { force: true });
const byOp = new Map<string, number>();
let total = 0;
for (const e of events) {
  if (e.cat !== 'Node' || !e.args?.op_name) continue;
  const key = `${e.args.op_name} (${e.args.provider ?? '?'})`;
  byOp.set(key, (byOp.get(key) ?? 0) + e.dur);
  total += e.dur;
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`### ${m.id}, ${provider}, T = ${T}: ms per call (median of ${values.calls})`);
for (const [k, v] of Object.entries(fetchOnly)) console.log(`- fetch ${k}: ${median(v).toFixed(1)} ms`);
console.log(`- node time in the profile: ${(total / 1000 / (2 * Number(values.calls))).toFixed(1)} ms per call\n`);
console.log('| operator (provider) | ms per call | share |\n|---|---|---|');
for (const [k, v] of [...byOp].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
  console.log(`| ${k} | ${(v / 1000 / (2 * Number(values.calls))).toFixed(2)} | ${((100 * v) / total).toFixed(1)}% |`);
}
