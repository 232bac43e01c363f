// Runs an exported model under onnxruntime-node's WebGPU execution provider with a verbose log,
// so the caller can read from stderr which nodes onnxruntime placed where (export.py card parses
// the part between the "=== begin/end webgpu session" markers), then compares two carried calls
// with the CPU provider and times a few call lengths; further graphs of the same model (other
// sub-chunk lengths) are timed under WebGPU too.
//   node models/train/webgpu_check.mjs <model.onnx or reader.onnx> <out.json> [<variant.onnx> ...]
//   (manifest.json beside model.onnx; the variants share its dimensions)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';

const [modelPath, outPath, ...variants] = process.argv.slice(2);
const m = JSON.parse(readFileSync(join(dirname(modelPath), 'manifest.json'), 'utf8'));
const T = m.call_tokens.cpu;

function lcg(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function feeds(len, seed, state) {
  const r = lcg(seed);
  const ids = BigInt64Array.from({ length: len }, () => BigInt(Math.floor(r() * 256)));
  const targets = BigInt64Array.from({ length: len }, (_, i) => (i + 1 < len ? ids[i + 1] : BigInt(m.specials.pad)));
  const f = {
    input_ids: new ort.Tensor('int64', ids, [1, len]),
    target_ids: new ort.Tensor('int64', targets, [1, len]),
    valid_len: new ort.Tensor('int64', BigInt64Array.of(BigInt(len)), [1]),
  };
  // The reading graph sums embeddings per passage: segments of 100 positions.
  f.segment_of = new ort.Tensor('float32', Float32Array.from({ length: len }, (_, i) => Math.floor(i / 100)), [1, len]);
  f.segment_slots = new ort.Tensor('float32', new Float32Array(Math.ceil(len / 100)), [Math.ceil(len / 100)]);
  for (let i = 0; i < m.n_layer; i++) {
    f[`past_conv.${i}`] = state?.[`present_conv.${i}`] ??
      new ort.Tensor('float32', new Float32Array(m.conv_dim * (m.d_conv - 1)), [1, m.conv_dim, m.d_conv - 1]);
    f[`past_ssm.${i}`] = state?.[`present_ssm.${i}`] ??
      new ort.Tensor('float32', new Float32Array(m.nheads * m.headdim * m.d_state), [1, m.nheads, m.headdim, m.d_state]);
  }
  return f;
}

async function open(ep, logSeverityLevel, path = modelPath) {
  const t0 = performance.now();
  const session = await ort.InferenceSession.create(path, {
    executionProviders: [ep],
    logSeverityLevel,
    logVerbosityLevel: 0,
  });
  return { session, ms: Math.round(performance.now() - t0) };
}

/**
 * The feeds a graph takes (the full and the reading graph take different ones), in the types it
 * declares (int32 target_ids and float32 valid_len since the 2026-11-29 v2 work's exports).
 */
function run(session, f) {
  const types = Object.fromEntries(session.inputMetadata.map((i) => [i.name, i.type]));
  const cast = (name, t) => {
    if (types[name] === 'int32' && t.type === 'int64') return new ort.Tensor('int32', Int32Array.from(t.data, Number), t.dims);
    if (types[name] === 'float32' && t.type === 'int64') return new ort.Tensor('float32', Float32Array.from(t.data, Number), t.dims);
    return t;
  };
  return session.run(Object.fromEntries(Object.entries(f).filter(([name]) => name in types).map(([name, t]) => [name, cast(name, t)])));
}

async function twoCalls(session) {
  const first = await run(session, feeds(T, 1));
  return run(session, feeds(T, 2, first));
}

async function timeCall(session, len, runs) {
  const f = feeds(len, 3);
  await run(session, f);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await run(session, f);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)] * 10) / 10;
}

function maxDiff(a, b) {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

const result = { ok: false, node: process.version, T, create_ms: {}, ms: {} };
try {
  ort.env.logLevel = 'verbose';
  console.log('=== begin webgpu session');
  const gpu = await open('webgpu', 0);
  console.log('=== end webgpu session');
  result.create_ms.webgpu = gpu.ms;
  const gpuOut = await twoCalls(gpu.session);
  const cpu = await open('cpu', 2);
  result.create_ms.cpu = cpu.ms;
  const cpuOut = await twoCalls(cpu.session);
  const diff = {};
  for (const name of Object.keys(cpuOut)) {
    const key = name.split('.')[0];
    diff[key] = Math.max(diff[key] ?? 0, maxDiff(cpuOut[name].data, gpuOut[name].data));
  }
  result.webgpu_vs_cpu = diff;
  for (const len of [1024, 4096]) result.ms[`webgpu_T${len}`] = await timeCall(gpu.session, len, 3);
  result.ms.cpu_T1024 = await timeCall(cpu.session, 1024, 3);
  result.variants = {};
  for (const path of variants) {
    const v = await open('webgpu', 3, path);
    const name = path.split('/').pop();
    result.variants[name] = {};
    for (const len of [1024, 4096]) result.variants[name][`webgpu_T${len}`] = await timeCall(v.session, len, 3);
  }
  result.ok = true;
} catch (e) {
  result.error = String(e?.stack ?? e);
}
writeFileSync(outPath, JSON.stringify(result, null, 2) + '\n');
console.log('=== webgpu check', JSON.stringify(result));
