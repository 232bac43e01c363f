// Where the Transformer baseline lives (made by models/train/export.py transformer). Its graph
// is committed; its random weights (external data, 13 MB) are generated here on first use,
// because the benchmark measures time and memory, which do not depend on the values, and
// every committed byte travels with each GPU-machine call.
import { closeSync, existsSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/fixtures.js';
import { seededNormals } from '../support/seeded-random.js';

const dir = join(repoRoot, 'models', 'baselines');

export const transformerBaseline = {
  onnx: join(dir, 'transformer-random.onnx'),
  json: join(dir, 'transformer-random.json'),
};

interface ExternalWeights {
  file: string;
  bytes: number;
}

/** Writes the baseline's external weights (seeded N(0, 0.02) floats) unless they are there. */
export function ensureBaselineWeights(): void {
  const spec = (JSON.parse(readFileSync(transformerBaseline.json, 'utf8')) as { external_weights: ExternalWeights }).external_weights;
  const path = join(dir, spec.file);
  if (existsSync(path) && statSync(path).size === spec.bytes) return;
  // Seeded, good enough for weights nobody reads.
  const normal = seededNormals(0x9e3779b9);
  const fd = openSync(path, 'w');
  try {
    const block = new Float32Array(1 << 16);
    for (let written = 0; written < spec.bytes; ) {
      for (let i = 0; i < block.length; i++) {
        block[i] = 0.02 * normal();
      }
      const n = Math.min(block.byteLength, spec.bytes - written);
      writeSync(fd, new Uint8Array(block.buffer, 0, n));
      written += n;
    }
  } finally {
    closeSync(fd);
  }
}
