// Opens the model's graph on an execution provider and runs one call (T tokens, state in →
// outputs and state out). `gpu` tries the GPU providers this platform has, in order; `auto`
// does the same and falls back to the CPU, saying why each GPU provider was passed over.
import ort from 'onnxruntime-node';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { callMultiple, loadManifest, MODEL_GRAPH_FILE, type ModelManifest } from './manifest.js';
import { OutputGarbage } from './output-garbage.js';
import { type ModelState } from './state.js';
import { loadTokenizer, type Tokenizer } from './tokenizer/tokenizer.js';
import { LecternError } from '../../../common/errors.js';

export type DeviceChoice = 'auto' | 'cpu' | 'gpu';

export interface DeviceReport {
  requested: DeviceChoice;
  /** The execution provider the session runs on: cpu, webgpu, dml, coreml or cuda. */
  provider: string;
  /** Why the GPU providers were passed over (`auto` only), e.g. "webgpu: no adapter found". */
  fallbackReason: string | null;
}

export type OutputName = 'logprobs' | 'embeddings' | 'relevance' | 'passage_sums';

/**
 * For a graph that sums the embeddings per passage itself (the reading graph): the segment of
 * each of the call's T positions (0…slots−1, or −1 for none) and how many sums to return.
 */
export interface PassageSegments {
  of: Float32Array;
  slots: number;
}

export interface ChunkInputs {
  /** T token ids, T a multiple of callMultiple(manifest); positions ≥ validLen are padding. */
  ids: Int32Array;
  /** The token that follows each position (pad where none does). */
  targets: Int32Array;
  validLen: number;
  state: ModelState;
  /**
   * Arrays to write the call's state into (not `state`'s own), returned as the output's state.
   * A long pass alternates two and so keeps none of the per-call output buffers alive; see
   * output-garbage.ts. Without it the output's state is onnxruntime's buffers.
   */
  stateInto?: ModelState;
  /** Outputs to fetch besides the state; default all the graph has. */
  fetch?: readonly OutputName[];
  /** Required by a graph that computes `passage_sums`. */
  segments?: PassageSegments;
}

export interface ChunkOutputs {
  state: ModelState;
  /** [T]: log p(target_t | tokens ≤ t); null unless fetched. */
  logprobs: Float32Array | null;
  /** [T × embedding_dim]; null unless fetched. */
  embeddings: Float32Array | null;
  /** [T]; null unless fetched. */
  relevance: Float32Array | null;
  /** [slots × embedding_dim]: each segment's sum of embeddings; null unless fetched. */
  passageSums: Float32Array | null;
}

export interface Model {
  manifest: ModelManifest;
  /** The outputs this model's graph computes (the reading graph: passage_sums alone). */
  outputs: readonly OutputName[];
  tokenizer: Tokenizer;
  device: DeviceReport;
  /** Tokens per call measured best for this provider (manifest's call_tokens). */
  callTokens: number;
  run(inputs: ChunkInputs): Promise<ChunkOutputs>;
  release(): Promise<void>;
}

export class DeviceError extends LecternError {
  constructor(message: string) {
    super('device', message);
    this.name = 'DeviceError';
  }
}

/** `full`: model.onnx, every output; `reader`: the manifest's reading graph when it has one. */
export type GraphChoice = 'full' | 'reader';

export interface OpenOptions {
  /** Default `full`. */
  graph?: GraphChoice;
  /** Overrides call_tokens[provider] (benchmarks and the chunking tests). */
  callTokens?: number;
  /** CPU threads for one operator; default: measured best for this machine's cores. */
  intraOpThreads?: number;
}

// GPU providers in the order `gpu` and `auto` try them, with the platforms each exists on.
const gpuProviders: { name: string; platforms: NodeJS.Platform[]; arch?: string }[] = [
  { name: 'webgpu', platforms: ['linux', 'win32', 'darwin'] },
  { name: 'dml', platforms: ['win32'] },
  { name: 'coreml', platforms: ['darwin'] },
  // Not bundled with onnxruntime-node: works only where the user installed the CUDA provider.
  { name: 'cuda', platforms: ['linux', 'win32'] },
];

/** Providers `gpu` tries on this machine, in order. */
export function gpuCandidates(): string[] {
  return gpuProviders
    .filter((p) => p.platforms.includes(process.platform))
    .filter((p) => p.name !== 'webgpu' || process.platform !== 'linux' || process.arch === 'x64')
    .map((p) => p.name);
}

// onnxruntime logs failed provider probes to stderr; the reason reaches the user through
// DeviceReport instead, and real failures still throw.
ort.env.logLevel = 'fatal';

export async function openModel(modelDir: string, device: DeviceChoice, options: OpenOptions = {}): Promise<Model> {
  const manifest = loadManifest(modelDir);
  const tokenizer = loadTokenizer(modelDir, manifest);
  const graph = join(modelDir, options.graph === 'reader' && manifest.reader_graph ? manifest.reader_graph : MODEL_GRAPH_FILE);
  const { session, provider, fallbackReason } = await createSession(graph, device, options);
  const callTokens = options.callTokens ?? manifest.call_tokens[provider] ?? manifest.call_tokens.cpu;
  if (callTokens % callMultiple(manifest) !== 0) {
    await session.release();
    throw new Error(`tokens per call (${callTokens}) must be a multiple of ${callMultiple(manifest)} for this model`);
  }
  const outputs = (['logprobs', 'embeddings', 'relevance', 'passage_sums'] as const).filter((o) => session.outputNames.includes(o));
  return new OrtModel(manifest, tokenizer, { requested: device, provider, fallbackReason }, callTokens, outputs, session);
}

async function createSession(
  graph: string,
  device: DeviceChoice,
  options: OpenOptions,
): Promise<{ session: ort.InferenceSession; provider: string; fallbackReason: string | null }> {
  const base: ort.InferenceSession.SessionOptions = {
    graphOptimizationLevel: 'all',
    intraOpNumThreads: options.intraOpThreads ?? defaultIntraOpThreads(),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    // Spinning threads fight the rest of the machine for its cores: measured on a busy 2-core
    // box, 2 spinning threads read at half the speed of 1 thread; 2 without spinning at ≥ 1's.
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
  const reasons: string[] = [];
  if (device !== 'cpu') {
    for (const name of gpuCandidates()) {
      const missing = missingPrerequisite(name);
      if (missing) {
        reasons.push(`${name}: ${missing}`);
        continue;
      }
      try {
        const session = await ort.InferenceSession.create(graph, { ...base, executionProviders: [providerOption(name)] });
        return { session, provider: name, fallbackReason: null };
      } catch (e) {
        reasons.push(`${name}: ${providerFailure(e)}`);
      }
    }
    if (device === 'gpu') {
      throw new DeviceError(`no GPU execution provider works here (${reasons.join('; ') || `none for ${process.platform}`})`);
    }
  }
  const session = await ort.InferenceSession.create(graph, { ...base, executionProviders: ['cpu'] });
  return { session, provider: 'cpu', fallbackReason: reasons.length > 0 ? reasons.join('; ') : null };
}

/**
 * WebGPU keeps released buffers for reuse by exact size ("simple") rather than by size bucket:
 * the buckets stop at 160 MB and hold few buffers each, so a long call (tensors of 130–300 MB
 * at T = 65,536) created and destroyed its large buffers on every run. Measured on an H200, a
 * `run()` of 16,384 tokens went from 86 to 56 ms and one of 65,536 from 305 to 239 ms. A read's
 * calls have one length (and a shorter last one), so the cache holds one set of buffers.
 */
function providerOption(name: string): ort.InferenceSession.ExecutionProviderConfig {
  return name === 'webgpu' ? { name: 'webgpu', storageBufferCacheMode: 'simple' } : name;
}

/**
 * On Linux, WebGPU (Dawn) needs the Vulkan loader; without it the probe can only fail, and
 * Dawn says so on stderr. Checking first keeps `auto` quiet on machines without a GPU stack.
 */
function missingPrerequisite(provider: string): string | null {
  if (provider !== 'webgpu' || process.platform !== 'linux') return null;
  const dirs = [
    ...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
    '/usr/lib/x86_64-linux-gnu',
    '/lib/x86_64-linux-gnu',
    '/usr/lib64',
    '/lib64',
    '/usr/lib',
    '/usr/local/lib',
    '/run/opengl-driver/lib',
  ];
  return dirs.some((d) => existsSync(join(d, 'libvulkan.so.1'))) ? null : 'no Vulkan loader (libvulkan.so.1) installed';
}

/** onnxruntime's messages carry source paths and lambdas; keep what a person can act on. */
export function providerFailure(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  if (/Failed to get a WebGPU adapter|No supported adapters/i.test(message)) return 'no adapter found';
  if (/backend not found/i.test(message)) return 'not available in this build of onnxruntime';
  if (/Failed to load shared library/i.test(message)) return 'provider library not installed';
  const last = message.trim().split('\n').pop() ?? message;
  return last.replace(/^.*?\.(cc|cpp|h):\d+\s+/, '').slice(0, 200);
}

/** One per core, up to 4: above that a small model's per-call work no longer scales. */
function defaultIntraOpThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/**
 * Token ids as the graph's int64. A plain loop: `BigInt64Array.from(ids, BigInt)` calls back
 * into JS per element and took 1.05 ms for 16,384 ids against 0.06 ms for this (Node 20).
 */
export function toInt64(ids: Int32Array): BigInt64Array {
  const out = new BigInt64Array(ids.length);
  for (let i = 0; i < ids.length; i++) out[i] = BigInt(ids[i]);
  return out;
}

/** A session's inputs and the element type each declares ('non-tensor' for the rest). */
export function inputTypesOf(session: ort.InferenceSession): Map<string, string> {
  return new Map(session.inputMetadata.map((i) => [i.name, i.isTensor ? i.type : 'non-tensor']));
}

/**
 * One call's feeds for a graph with these input types: graphs exported since the 2026-11-29 v2 work
 * take `target_ids` as int32 and `valid_len` as float32 (WebGPU has no int64 kernels: an int64
 * input the graph computes with puts a node on the CPU), earlier ones both as int64; the
 * reading graph takes no targets but the call's passage segments. Shared with the profiler
 * (test/bench/engine-profile.ts), so both feed a graph alike.
 */
export function callFeeds(m: ModelManifest, inputTypes: ReadonlyMap<string, string>, inputs: ChunkInputs): Record<string, ort.Tensor> {
  const T = inputs.ids.length;
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', toInt64(inputs.ids), [1, T]),
    valid_len: inputTypes.get('valid_len') === 'float32'
      ? new ort.Tensor('float32', Float32Array.of(inputs.validLen), [1])
      : new ort.Tensor('int64', BigInt64Array.of(BigInt(inputs.validLen)), [1]),
  };
  if (inputTypes.has('target_ids')) {
    feeds.target_ids = inputTypes.get('target_ids') === 'int32'
      ? new ort.Tensor('int32', inputs.targets, [1, T])
      : new ort.Tensor('int64', toInt64(inputs.targets), [1, T]);
  }
  if (inputTypes.has('segment_of')) {
    const seg = inputs.segments;
    if (!seg || seg.of.length !== T || seg.slots < 1) throw new Error(`this graph of ${m.id} sums passages: a call needs ${T} segment indices and at least one slot`);
    feeds.segment_of = new ort.Tensor('float32', seg.of, [1, T]);
    feeds.segment_slots = new ort.Tensor('float32', new Float32Array(seg.slots), [seg.slots]);
  }
  for (let i = 0; i < m.n_layer; i++) {
    feeds[`past_conv.${i}`] = new ort.Tensor('float32', inputs.state.conv[i], [1, m.conv_dim, m.d_conv - 1]);
    feeds[`past_ssm.${i}`] = new ort.Tensor('float32', inputs.state.ssm[i], [1, m.nheads, m.headdim, m.d_state]);
  }
  return feeds;
}

class OrtModel implements Model {
  // One run in flight per process: concurrent WebGPU runs crash onnxruntime, and on the CPU
  // they would only compete for the same cores.
  private queue: Promise<unknown> = Promise.resolve();
  private released = false;
  /** The graph's input types, which callFeeds follows. */
  private readonly inputTypes: Map<string, string>;
  private readonly garbage = new OutputGarbage();

  constructor(
    readonly manifest: ModelManifest,
    readonly tokenizer: Tokenizer,
    readonly device: DeviceReport,
    readonly callTokens: number,
    readonly outputs: readonly OutputName[],
    private readonly session: ort.InferenceSession,
  ) {
    this.inputTypes = inputTypesOf(session);
  }

  run(inputs: ChunkInputs): Promise<ChunkOutputs> {
    const next = this.queue.then(() => this.runNow(inputs));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async runNow(inputs: ChunkInputs): Promise<ChunkOutputs> {
    if (this.released) throw new Error('the model was released');
    const m = this.manifest;
    const T = inputs.ids.length;
    if (T === 0 || T % callMultiple(m) !== 0 || inputs.targets.length !== T) {
      throw new Error(`a call needs a multiple of ${callMultiple(m)} ids and as many targets (got ${T} and ${inputs.targets.length})`);
    }
    if (inputs.validLen < 1 || inputs.validLen > T) throw new Error(`valid_len ${inputs.validLen} outside 1…${T}`);
    const into = inputs.stateInto;
    if (into && (into.conv.some((a, i) => a === inputs.state.conv[i]) || into.ssm.some((a, i) => a === inputs.state.ssm[i]))) {
      throw new Error('stateInto must not share arrays with the state it is read from');
    }
    this.garbage.collectIfDue();
    const feeds = callFeeds(m, this.inputTypes, inputs);
    const fetch = inputs.fetch ?? this.outputs;
    const missing = fetch.filter((o) => !this.outputs.includes(o));
    if (missing.length > 0) throw new Error(`this graph of ${m.id} computes no ${missing.join(', ')}`);
    const names: string[] = [...fetch];
    for (let i = 0; i < m.n_layer; i++) names.push(`present_conv.${i}`, `present_ssm.${i}`);
    const out = await this.session.run(feeds, names);
    const data = (name: string): Float32Array => out[name].data as Float32Array;
    for (const name of names) this.garbage.add(data(name).byteLength);
    const state: ModelState = into ?? { conv: [], ssm: [] };
    for (let i = 0; i < m.n_layer; i++) {
      if (into) {
        into.conv[i].set(data(`present_conv.${i}`));
        into.ssm[i].set(data(`present_ssm.${i}`));
      } else {
        state.conv.push(data(`present_conv.${i}`));
        state.ssm.push(data(`present_ssm.${i}`));
      }
    }
    return {
      state,
      logprobs: fetch.includes('logprobs') ? data('logprobs') : null,
      embeddings: fetch.includes('embeddings') ? data('embeddings') : null,
      relevance: fetch.includes('relevance') ? data('relevance') : null,
      passageSums: fetch.includes('passage_sums') ? data('passage_sums') : null,
    };
  }

  async release(): Promise<void> {
    if (this.released) return;
    await this.queue;
    this.released = true;
    await this.session.release();
  }
}
