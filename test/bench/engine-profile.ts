// Where a call's time goes under an execution provider: onnxruntime's own profiler over a few
// calls. Host-side time is summed per operator ("Node" events); under WebGPU the provider also
// records each kernel's GPU time with timestamp queries ("Api" events, with shapes), which is
// what the GPU actually spent. For finding the GPU path's bottleneck on the GPU machine:
//   node dist/test/bench/engine-profile.js --model models/<id> [--graph reader.onnx]
//     [--device gpu|cpu] [--call T] [--calls N] [--top K]
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import ort from 'onnxruntime-node';
import { loadManifest } from '../../main/core/model/manifest.js';
import { callFeeds, inputTypesOf, type ChunkInputs } from '../../main/core/model/session.js';
import { zeroState } from '../../main/core/model/state.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    graph: { type: 'string' },
    device: { type: 'string', default: 'gpu' },
    call: { type: 'string', default: '4096' },
    calls: { type: 'string', default: '3' },
    top: { type: 'string', default: '25' },
    // WebGPU provider options as JSON, e.g. '{"storageBufferCacheMode":"simple"}'
    'ep-options': { type: 'string', default: '{}' },
  },
});
if (!values.model) throw new Error('usage: engine-profile --model DIR [--graph FILE] [--device gpu|cpu] [--call T] [--calls N]');
const m = loadManifest(values.model);
const graph = values.graph ?? m.reader_graph ?? 'model.onnx';
const T = Number(values.call);
const calls = Number(values.calls);
const provider = values.device === 'gpu' ? 'webgpu' : 'cpu';
const prefix = `lectern-profile-${process.pid}`;
const epOptions = JSON.parse(values['ep-options']) as Record<string, string>;
const base = {
  executionProviders: [provider === 'webgpu' ? { name: 'webgpu' as const, ...epOptions } : provider],
  graphOptimizationLevel: 'all' as const,
};

const ids = Int32Array.from({ length: T }, (_, i) => 4 + (i * 7919) % (m.vocab_size - 4));
// The engine's own feeds (callFeeds follows each graph's declared input types); segments of 100
// positions for the reading graph.
const inputs: ChunkInputs = {
  ids,
  targets: ids,
  validLen: T,
  state: zeroState(m),
  segments: { of: Float32Array.from({ length: T }, (_, i) => Math.floor(i / 100)), slots: Math.ceil(T / 100) },
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Wall time first, without the profiler (it adds a readback per pass).
const plain = await ort.InferenceSession.create(`${values.model}/${graph}`, base);
const feeds = callFeeds(m, inputTypesOf(plain), inputs);
let t0 = performance.now();
await plain.run(feeds); // the first call compiles the shaders
const firstMs = performance.now() - t0;
const wall: number[] = [];
for (let c = 0; c < calls; c++) {
  t0 = performance.now();
  await plain.run(feeds);
  wall.push(performance.now() - t0);
}
await plain.release();

const session = await ort.InferenceSession.create(`${values.model}/${graph}`, {
  ...base, enableProfiling: true, profileFilePrefix: join(tmpdir(), prefix),
});
for (let c = 0; c < calls; c++) await session.run(feeds);
session.endProfiling();
// onnxruntime-node names the file itself (prefix + timestamp) and does not return the name.
const found = readdirSync(tmpdir()).find((f) => f.startsWith(prefix) && f.endsWith('.json'));
if (!found) throw new Error(`no profile written to ${tmpdir()}/${prefix}*.json`);
const file = join(tmpdir(), found);
type Event = { cat: string; name: string; dur: number; args?: { op_name?: string; provider?: string; shapes?: string } };
const events = JSON.parse(readFileSync(file, 'utf8')) as Event[];
rmSync(file, { force: true });

const perCall = (us: number): string => (us / 1000 / calls).toFixed(2);
function table(title: string, rows: Map<string, { us: number; n: number }>, total: number): void {
  console.log(`\n${title}: ${perCall(total)} ms per call\n`);
  console.log('| what | ms per call | dispatches per call | share |\n|---|---|---|---|');
  for (const [k, v] of [...rows].sort((a, b) => b[1].us - a[1].us).slice(0, Number(values.top))) {
    console.log(`| ${k} | ${perCall(v.us)} | ${(v.n / calls).toFixed(0)} | ${((100 * v.us) / total).toFixed(1)}% |`);
  }
}
function group(pick: (e: Event) => string | null): [Map<string, { us: number; n: number }>, number] {
  const rows = new Map<string, { us: number; n: number }>();
  let total = 0;
  for (const e of events) {
    const key = pick(e);
    if (key === null) continue;
    const row = rows.get(key) ?? { us: 0, n: 0 };
    row.us += e.dur;
    row.n += 1;
    rows.set(key, row);
    total += e.dur;
  }
  return [rows, total];
}

console.log(`### ${m.id} ${graph}, ${provider} ${values['ep-options']}, T = ${T}`);
console.log(`- first run() (compiles the shaders): ${firstMs.toFixed(0)} ms`);
console.log(`- run() wall, profiler off: ${median(wall).toFixed(1)} ms per call (median of ${calls}), ${Math.round(T / (median(wall) / 1000))} tokens/s`);
const [hostByOp, hostTotal] = group((e) => (e.cat === 'Node' && e.args?.op_name ? `${e.args.op_name} (${e.args.provider ?? '?'})` : null));
table('Host time by operator (Node events)', hostByOp, hostTotal);
const [gpuByKernel, gpuTotal] = group((e) => (e.cat === 'Api' && e.args?.shapes !== undefined ? e.name : null));
if (gpuTotal > 0) {
  table('GPU time by kernel (timestamp queries)', gpuByKernel, gpuTotal);
  const [gpuByShape] = group((e) => (e.cat === 'Api' && e.args?.shapes !== undefined ? `${e.name} ${e.args.shapes}` : null));
  table('GPU time by kernel and shapes', gpuByShape, gpuTotal);
}
