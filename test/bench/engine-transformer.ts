// The Transformer baseline reading a document: calls of `--call` tokens with its KV cache
// growing (past_key.i / past_value.i [1, heads, S, head_dim] → present_* with S + T), in its
// own process so its peak RSS is its own. Attention costs grow with S, so a run that passes
// `--budget-s` stops and extrapolates the rest from its per-call times (t = a + b·S), saying so.
//   node dist/test/bench/engine-transformer.js --tokens N [--call 1024] [--budget-s 300]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import ort from 'onnxruntime-node';
import { ByteTokenizer } from '../../main/core/model/tokenizer/tokenizer.js';
import { novelDocument } from '../support/long-document.js';
import { ensureBaselineWeights, transformerBaseline } from './engine-baseline.js';

const { values } = parseArgs({
  options: {
    tokens: { type: 'string' },
    call: { type: 'string', default: '1024' },
    'budget-s': { type: 'string', default: '300' },
    device: { type: 'string', default: 'cpu' },
  },
});
const total = Number(values.tokens);
const call = Number(values.call);
const budget = Number(values['budget-s']);
if (!(total > 0)) throw new Error('usage: engine-transformer --tokens N [--call T] [--budget-s S]');

const spec = JSON.parse(readFileSync(transformerBaseline.json, 'utf8')) as {
  config: { n_layer: number; n_head: number; head_dim: number; vocab_size: number };
};
const { n_layer, n_head, head_dim, vocab_size } = spec.config;
const ep = values.device === 'gpu' ? 'webgpu' : 'cpu';
ensureBaselineWeights();
const session = await ort.InferenceSession.create(transformerBaseline.onnx, {
  executionProviders: [ep],
  graphOptimizationLevel: 'all',
});
// Same bytes as the Mamba reader's stream: BOS (256) then the document's UTF-8 bytes.
const ids = new Int32Array(total);
ids[0] = 256;
ids.set(new ByteTokenizer(0, vocab_size).encode(novelDocument(total - 1).text).ids.subarray(0, total - 1), 1);

let cache: ort.Tensor[] = Array.from({ length: 2 * n_layer }, () => new ort.Tensor('float32', new Float32Array(0), [1, n_head, 0, head_dim]));
const calls: { S: number; seconds: number }[] = [];
const started = performance.now();
let done = 0;
while (done < total) {
  const T = Math.min(call, total - done);
  const feeds: Record<string, ort.Tensor> = { input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.subarray(done, done + T), BigInt), [1, T]) };
  for (let i = 0; i < n_layer; i++) {
    feeds[`past_key.${i}`] = cache[2 * i];
    feeds[`past_value.${i}`] = cache[2 * i + 1];
  }
  const t0 = performance.now();
  const out = await session.run(feeds);
  calls.push({ S: done, seconds: (performance.now() - t0) / 1000 });
  cache = Array.from({ length: n_layer }, (_, i) => [out[`present_key.${i}`], out[`present_value.${i}`]]).flat();
  done += T;
  if ((performance.now() - started) / 1000 > budget && done < total) break;
}
const measured = (performance.now() - started) / 1000;
let seconds = measured;
if (done < total) seconds += extrapolate(calls, done, total);
await session.release();
process.stdout.write(
  JSON.stringify({
    type: 'result',
    tokens: total,
    measuredTokens: done,
    seconds,
    estimated: done < total,
    tokensPerSecond: total / seconds,
    kvCacheMb: (2 * n_layer * n_head * total * head_dim * 4) / 2 ** 20,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }) + '\n',
);

/** Seconds for the calls from `done` to `total`, from a least-squares fit t = a + b·S. */
function extrapolate(c: { S: number; seconds: number }[], from: number, to: number): number {
  const n = c.length;
  const mS = c.reduce((s, x) => s + x.S, 0) / n;
  const mT = c.reduce((s, x) => s + x.seconds, 0) / n;
  const cov = c.reduce((s, x) => s + (x.S - mS) * (x.seconds - mT), 0);
  const varS = c.reduce((s, x) => s + (x.S - mS) ** 2, 0);
  const b = varS > 0 ? cov / varS : 0;
  const a = mT - b * mS;
  let rest = 0;
  for (let S = from; S < to; S += call) rest += (a + b * S) * (Math.min(call, to - S) / call);
  return rest;
}
