// The engine benchmark on another device, for the GPU machine:
//   node dist/test/bench/engine-gpu.js --device gpu [--sizes 10000,100000,1000000] [--runs 3]
//     [--call T] [--model DIR (default: the shipped model)] [--no-transformer]
//     [--single-run-above TOKENS (default 200000: larger documents are read once)]
// (on the device: `source .device/remote.sh && node dist/test/bench/engine-gpu.js --device gpu`,
// with .device/, dist/ and models/ carried). Prints the same tables as the CPU run.
import { parseArgs } from 'node:util';
import type { DeviceChoice } from '../../main/core/model/session.js';
import { benchEngine } from './engine.js';
import { printTable } from './table.js';

const { values } = parseArgs({
  options: {
    device: { type: 'string', default: 'gpu' },
    sizes: { type: 'string' },
    lengths: { type: 'string' },
    runs: { type: 'string' },
    call: { type: 'string' },
    model: { type: 'string' },
    'single-run-above': { type: 'string' },
    'no-transformer': { type: 'boolean', default: false },
  },
});
const list = (s: string | undefined): number[] | undefined => s?.split(',').map(Number);
if (!['auto', 'cpu', 'gpu'].includes(values.device)) throw new Error('--device must be auto, cpu or gpu');
const tables = await benchEngine({
  device: values.device as DeviceChoice,
  sizes: list(values.sizes),
  runs: values.runs ? Number(values.runs) : undefined,
  callTokens: values.call ? Number(values.call) : undefined,
  modelDir: values.model,
  singleRunAbove: values['single-run-above'] ? Number(values['single-run-above']) : undefined,
  lengths: values['no-transformer'] ? [] : list(values.lengths),
});
for (const t of tables) printTable(t);
