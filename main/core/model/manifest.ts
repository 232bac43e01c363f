// The model's manifest.json: the contract between the exported graph and this engine
// (docs/ARCHITECTURE.md §2). Every field is checked on load, so a wrong or stale model fails
// here with a message naming the field, not later inside onnxruntime.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LecternError } from '../../../common/errors.js';

export interface ModelManifest {
  id: string;
  architecture: 'mamba2';
  trained: boolean;
  d_model: number;
  n_layer: number;
  d_state: number;
  headdim: number;
  nheads: number;
  expand: number;
  d_inner: number;
  d_conv: number;
  conv_dim: number;
  ngroups: number;
  vocab_size: number;
  embedding_dim: number;
  subchunk: number;
  call_tokens: Record<string, number>;
  specials: { bos: number; eos: number; sep: number; pad: number };
  tokenizer: { type: 'bytes' | 'bpe'; file: string };
  files: Record<string, { sha256: string; bytes: number }>;
  opset: number;
  /**
   * A second graph for reading, over the same weights and with the same state contract
   * (models/train/reader_graph.py): no vocabulary head (onnxruntime computes every output, and
   * that head is a third of a call), and each passage's embeddings summed in the graph
   * (`segment_of`, `segment_slots` in; `passage_sums` out). Absent: reading uses model.onnx.
   */
  reader_graph?: string;
  /**
   * What every call's token count must be a multiple of, when more than `subchunk`: a graph
   * whose state carry between sub-chunks runs in groups (kernels/ssd.py, `carry_group`) takes
   * calls of whole groups. Absent: subchunk. Use callMultiple().
   */
  call_multiple?: number;
}

/** The token count every call of the model's graphs must be a multiple of. */
export function callMultiple(m: ModelManifest): number {
  return m.call_multiple ?? m.subchunk;
}

/** The graph file every model directory holds. */
export const MODEL_GRAPH_FILE = 'model.onnx';

export class ManifestError extends LecternError {
  readonly modelDir: string;
  constructor(modelDir: string, message: string) {
    super('model', `model at ${modelDir}: ${message}`, modelDir);
    this.name = 'ManifestError';
    this.modelDir = modelDir;
  }
}

const positiveIntFields = [
  'd_model',
  'n_layer',
  'd_state',
  'headdim',
  'nheads',
  'expand',
  'd_inner',
  'd_conv',
  'conv_dim',
  'ngroups',
  'vocab_size',
  'embedding_dim',
  'subchunk',
  'opset',
] as const;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPositiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

/** Reads and validates <modelDir>/manifest.json; optionally checks every listed file's hash. */
export function loadManifest(modelDir: string, options: { verifyHashes?: boolean } = {}): ModelManifest {
  const path = join(modelDir, 'manifest.json');
  if (!existsSync(path)) throw new ManifestError(modelDir, 'manifest.json not found');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ManifestError(modelDir, `manifest.json is not valid JSON (${(e as Error).message})`);
  }
  const manifest = validateManifest(modelDir, raw);
  checkFiles(modelDir, manifest, options.verifyHashes ?? false);
  return manifest;
}

export function validateManifest(modelDir: string, raw: unknown): ModelManifest {
  const fail = (msg: string): never => {
    throw new ManifestError(modelDir, msg);
  };
  if (!isObject(raw)) return fail('manifest.json must hold an object');
  if (typeof raw.id !== 'string' || !/^[A-Za-z0-9._-]+$/.test(raw.id)) {
    fail('"id" must be a non-empty string of letters, digits, ".", "_" or "-"');
  }
  if (raw.architecture !== 'mamba2') fail(`"architecture" must be "mamba2", got ${JSON.stringify(raw.architecture)}`);
  if (typeof raw.trained !== 'boolean') fail('"trained" must be true or false');
  for (const f of positiveIntFields) {
    if (!isPositiveInt(raw[f])) fail(`"${f}" must be a positive integer, got ${JSON.stringify(raw[f])}`);
  }
  const n = raw as Json & Record<(typeof positiveIntFields)[number], number>;
  if (n.opset < 17) fail(`"opset" must be at least 17, got ${n.opset}`);
  if (n.d_inner !== n.expand * n.d_model) fail(`"d_inner" (${n.d_inner}) must equal expand × d_model (${n.expand * n.d_model})`);
  if (n.nheads * n.headdim !== n.d_inner) fail(`"nheads" × "headdim" (${n.nheads * n.headdim}) must equal d_inner (${n.d_inner})`);
  if (n.conv_dim !== n.d_inner + 2 * n.ngroups * n.d_state) {
    fail(`"conv_dim" (${n.conv_dim}) must equal d_inner + 2 × ngroups × d_state (${n.d_inner + 2 * n.ngroups * n.d_state})`);
  }
  if (n.d_conv < 2) fail(`"d_conv" must be at least 2, got ${n.d_conv}`);

  if (raw.call_multiple !== undefined && (!isPositiveInt(raw.call_multiple) || raw.call_multiple % n.subchunk !== 0)) {
    fail(`"call_multiple" must be a positive multiple of subchunk (${n.subchunk}), got ${JSON.stringify(raw.call_multiple)}`);
  }
  const multiple = (raw.call_multiple as number | undefined) ?? n.subchunk;
  const multipleName = raw.call_multiple === undefined ? 'subchunk' : 'call_multiple';
  if (!isObject(raw.call_tokens) || Object.keys(raw.call_tokens).length === 0) {
    fail('"call_tokens" must map execution providers to tokens per call, e.g. {"cpu": 1024}');
  }
  for (const [ep, t] of Object.entries(raw.call_tokens as Json)) {
    if (!isPositiveInt(t) || t % multiple !== 0) {
      fail(`"call_tokens.${ep}" must be a positive multiple of ${multipleName} (${multiple}), got ${JSON.stringify(t)}`);
    }
  }
  if (!('cpu' in (raw.call_tokens as Json))) fail('"call_tokens" must have an entry for "cpu"');

  if (!isObject(raw.specials)) fail('"specials" must be an object {bos, eos, sep, pad}');
  for (const s of ['bos', 'eos', 'sep', 'pad'] as const) {
    const v = (raw.specials as Json)[s];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= n.vocab_size) {
      fail(`"specials.${s}" must be a token id in [0, vocab_size), got ${JSON.stringify(v)}`);
    }
  }

  if (!isObject(raw.tokenizer)) fail('"tokenizer" must be an object {type, file}');
  const tok = raw.tokenizer as Json;
  if (tok.type !== 'bytes' && tok.type !== 'bpe') fail(`"tokenizer.type" must be "bytes" or "bpe", got ${JSON.stringify(tok.type)}`);
  if (typeof tok.file !== 'string' || tok.file.length === 0) fail('"tokenizer.file" must name a file');

  if (!isObject(raw.files)) fail('"files" must map file names to {sha256, bytes}');
  for (const [name, entry] of Object.entries(raw.files as Json)) {
    if (!isObject(entry) || typeof entry.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(entry.sha256)) {
      fail(`"files.${name}.sha256" must be 64 lowercase hex digits`);
    }
    if (!isPositiveInt((entry as Json).bytes)) fail(`"files.${name}.bytes" must be a positive integer`);
  }
  if (raw.reader_graph !== undefined && (typeof raw.reader_graph !== 'string' || raw.reader_graph.length === 0)) {
    fail('"reader_graph" must name a file');
  }
  const required = [MODEL_GRAPH_FILE, tok.file as string, ...(typeof raw.reader_graph === 'string' ? [raw.reader_graph] : [])];
  for (const name of required) {
    if (!(name in (raw.files as Json))) fail(`"files" must list ${name}`);
  }
  return raw as unknown as ModelManifest;
}

function checkFiles(modelDir: string, manifest: ModelManifest, verifyHashes: boolean): void {
  for (const [name, expected] of Object.entries(manifest.files)) {
    const path = join(modelDir, name);
    if (!existsSync(path)) throw new ManifestError(modelDir, `${name} is listed in manifest.json but missing`);
    const bytes = statSync(path).size;
    if (bytes !== expected.bytes) {
      throw new ManifestError(modelDir, `${name} has ${bytes} bytes, manifest.json says ${expected.bytes} (a damaged or stale copy?)`);
    }
    if (verifyHashes) {
      const actual = createHash('sha256').update(readFileSync(path)).digest('hex');
      if (actual !== expected.sha256) {
        throw new ManifestError(modelDir, `${name} has SHA-256 ${actual}, manifest.json says ${expected.sha256} (a damaged or stale copy?)`);
      }
    }
  }
}
