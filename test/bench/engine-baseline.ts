// Where the Transformer baseline lives (made by models/train/export.py transformer).
import { join } from 'node:path';
import { repoRoot } from '../support/fixtures.js';

export const transformerBaseline = {
  onnx: join(repoRoot, 'models', 'baselines', 'transformer-random.onnx'),
  json: join(repoRoot, 'models', 'baselines', 'transformer-random.json'),
};
