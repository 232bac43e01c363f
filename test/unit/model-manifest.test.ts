import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { callMultiple, loadManifest, ManifestError, type ModelManifest } from '../../main/core/model/manifest.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const graphBytes = Buffer.from('not really a graph, but the manifest only hashes it');
const tokenizerBytes = Buffer.from(JSON.stringify({ type: 'bytes', specials: { pad: 0, bos: 1, eos: 2, sep: 3 } }));
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function validManifest(): ModelManifest {
  return {
    id: 'test-model',
    architecture: 'mamba2',
    trained: false,
    d_model: 64,
    n_layer: 2,
    d_state: 16,
    headdim: 32,
    nheads: 4,
    expand: 2,
    d_inner: 128,
    d_conv: 4,
    conv_dim: 160,
    ngroups: 1,
    vocab_size: 260,
    embedding_dim: 64,
    subchunk: 64,
    call_tokens: { cpu: 1024, webgpu: 2048 },
    specials: { bos: 1, eos: 2, sep: 3, pad: 0 },
    tokenizer: { type: 'bytes', file: 'tokenizer.json' },
    files: {
      'model.onnx': { sha256: sha(graphBytes), bytes: graphBytes.length },
      'tokenizer.json': { sha256: sha(tokenizerBytes), bytes: tokenizerBytes.length },
    },
    opset: 17,
  };
}

function modelDir(manifest: unknown, graph = graphBytes): string {
  const dir = mkdtempSync(join(tmpdir(), 'lectern-manifest-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'model.onnx'), graph);
  writeFileSync(join(dir, 'tokenizer.json'), tokenizerBytes);
  writeFileSync(join(dir, 'manifest.json'), typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
  return dir;
}

function errorOf(f: () => unknown): ManifestError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ManifestError);
    return e as ManifestError;
  }
  throw new Error('expected a ManifestError');
}

describe('loadManifest', () => {
  it('accepts a valid manifest and verifies its hashes', () => {
    const m = loadManifest(modelDir(validManifest()), { verifyHashes: true });
    expect(m.id).toBe('test-model');
    expect(m.call_tokens.cpu).toBe(1024);
  });

  it('names a missing field', () => {
    const m: Record<string, unknown> = { ...validManifest() };
    delete m.d_state;
    expect(errorOf(() => loadManifest(modelDir(m))).message).toMatch(/"d_state" must be a positive integer/);
  });

  it.each([
    ['architecture', 'transformer', /"architecture" must be "mamba2"/],
    ['trained', 'no', /"trained" must be true or false/],
    ['opset', 13, /"opset" must be at least 17/],
    ['d_inner', 100, /"d_inner" \(100\) must equal expand × d_model \(128\)/],
    ['conv_dim', 128, /"conv_dim" \(128\) must equal d_inner \+ 2 × ngroups × d_state \(160\)/],
    ['call_tokens', { cpu: 1000 }, /"call_tokens.cpu" must be a positive multiple of subchunk \(64\)/],
    ['call_tokens', { webgpu: 1024 }, /must have an entry for "cpu"/],
    ['specials', { bos: 1, eos: 2, sep: 3, pad: 999 }, /"specials.pad" must be a token id in \[0, vocab_size\)/],
    ['tokenizer', { type: 'wordpiece', file: 'tokenizer.json' }, /"tokenizer.type" must be "bytes" or "bpe"/],
    ['id', '', /"id" must be a non-empty string/],
    ['reader_graph', 7, /"reader_graph" must name a file/],
    ['call_multiple', 100, /"call_multiple" must be a positive multiple of subchunk \(64\)/],
    ['call_multiple', 2048, /"call_tokens.cpu" must be a positive multiple of call_multiple \(2048\), got 1024/],
    ['reader_graph', 'reader.onnx', /"files" must list reader.onnx/],
  ])('rejects a bad %s', (field, value, message) => {
    expect(errorOf(() => loadManifest(modelDir({ ...validManifest(), [field]: value }))).message).toMatch(message);
  });

  it('takes calls of whole call_multiples when it is given, else of subchunks', () => {
    expect(callMultiple(loadManifest(modelDir(validManifest())))).toBe(64);
    expect(callMultiple(loadManifest(modelDir({ ...validManifest(), call_multiple: 512 })))).toBe(512);
  });

  it('rejects a file list without the graph', () => {
    const m = validManifest();
    delete (m.files as Record<string, unknown>)['model.onnx'];
    expect(errorOf(() => loadManifest(modelDir(m))).message).toMatch(/"files" must list model.onnx/);
  });

  it('rejects invalid JSON and a missing manifest', () => {
    expect(errorOf(() => loadManifest(modelDir('{ not json'))).message).toMatch(/not valid JSON/);
    expect(errorOf(() => loadManifest(join(tmpdir(), 'lectern-no-such-model'))).message).toMatch(/manifest.json not found/);
  });

  it('catches a damaged graph by size, and by hash when asked', () => {
    const sameSize = Buffer.from(graphBytes);
    sameSize[0] ^= 1;
    const dir = modelDir(validManifest(), sameSize);
    expect(() => loadManifest(dir)).not.toThrow();
    expect(errorOf(() => loadManifest(dir, { verifyHashes: true })).message).toMatch(/model.onnx has SHA-256 [0-9a-f]{64}, manifest.json says/);
    const shorter = modelDir(validManifest(), graphBytes.subarray(1));
    expect(errorOf(() => loadManifest(shorter)).message).toMatch(/model.onnx has \d+ bytes, manifest.json says \d+/);
  });
});
