// Engine benchmark: reading speed and peak memory of the Mamba reader for documents of 10k,
// 100k and 1M tokens, and the Transformer baseline (models/baselines) at 2k–128k tokens with
// its KV cache growing, against the Mamba reader at the same lengths. Every measurement runs
// in its own child process, so its peak RSS is its own.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { DeviceChoice, GraphChoice } from '../../main/core/model/session.js';
import type { ReadStages } from '../../main/core/reading/reader.js';
import { openDb } from '../../main/core/store/db.js';
import { byteModelDir, repoRoot } from '../support/fixtures.js';
import { defaultModelDir } from '../../main/core/model/default-model.js';
import { loadManifest } from '../../main/core/model/manifest.js';
import { loadTokenizer } from '../../main/core/model/tokenizer/tokenizer.js';
import { novelDocument, storeDocument } from '../support/long-document.js';
import { transformerBaseline } from './engine-baseline.js';
import type { BenchTable } from './table.js';

const distDir = join(repoRoot, 'dist', 'test');
const readChild = join(distDir, 'support', 'read-child.js');
const transformerChild = join(distDir, 'bench', 'engine-transformer.js');
const transformerModel = transformerBaseline.onnx;

export interface EngineBenchOptions {
  device?: DeviceChoice;
  /** Document sizes for the reading table, in tokens. */
  sizes?: number[];
  /** Lengths for the Mamba / Transformer comparison. */
  lengths?: number[];
  /** Runs per size (the median is reported); sizes above `singleRunAbove` run once. */
  runs?: number;
  singleRunAbove?: number;
  /** The model of the reading table; the shipped default when absent. */
  modelDir?: string;
  /** Tokens per graph call; the manifest's value for the provider when absent. */
  callTokens?: number;
}

interface TransformerRun {
  seconds: number;
  peakRssMb: number;
  estimated: boolean;
  measuredTokens: number;
  kvCacheMb: number;
}

interface ReadRun {
  tokens: number;
  seconds: number;
  tokensPerSecond: number;
  peakRssMb: number;
  callTokens: number;
  device: { provider: string };
  stages: ReadStages;
}

function runJsonChild<T>(script: string, args: string[]): Promise<T> {
  const proc = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let last: T | null = null;
  createInterface({ input: proc.stdout }).on('line', (line) => {
    const parsed = JSON.parse(line) as { type?: string };
    if (parsed.type !== 'progress') last = parsed as T;
  });
  return new Promise((resolve, reject) => {
    proc.on('error', reject);
    proc.on('exit', (code) => (code === 0 && last ? resolve(last) : reject(new Error(`${script} exited with ${code}`))));
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** UTF-8 bytes per token of a model's tokenizer on the benchmark's text (1 for the byte model). */
function bytesPerToken(modelDir: string): number {
  const sample = novelDocument(200_000).text;
  const tokenizer = loadTokenizer(modelDir, loadManifest(modelDir));
  return Buffer.byteLength(sample) / tokenizer.encode(sample).ids.length;
}

/** A library file holding one document of about `tokens` stream tokens under the model. */
function prepareLibrary(dir: string, tokens: number, modelDir: string): { path: string; id: number } {
  const path = join(dir, `doc-${tokens}-${basename(modelDir)}.sqlite`);
  const db = openDb(path);
  const bytes = Math.round((tokens - 1) * bytesPerToken(modelDir));
  const id = storeDocument(db, novelDocument(bytes), `novel-${tokens}.txt`);
  db.close();
  return { path, id };
}

async function readRuns(dir: string, tokens: number, runs: number, device: DeviceChoice, modelDir: string, callTokens?: number, graph: GraphChoice = 'reader'): Promise<ReadRun[]> {
  const lib = prepareLibrary(dir, tokens, modelDir);
  const out: ReadRun[] = [];
  for (let r = 0; r < runs; r++) {
    // A fresh copy each run: a finished reading is cached.
    const path = join(dir, `run-${tokens}-${r}.sqlite`);
    copyFileSync(lib.path, path);
    const call = callTokens ? ['--call', String(callTokens)] : [];
    out.push(await runJsonChild<ReadRun>(readChild, ['--db', path, '--doc', String(lib.id), '--device', device, '--model', modelDir, '--graph', graph, ...call]));
    rmSync(path, { force: true });
  }
  return out;
}

export async function benchEngine(options: EngineBenchOptions = {}): Promise<BenchTable[]> {
  const device = options.device ?? 'cpu';
  // The reading table measures the model users get; the comparison uses the untrained byte
  // model, whose width, depth and vocabulary the Transformer baseline was built to match.
  const shipped = options.modelDir ?? defaultModelDir();
  const sizes = options.sizes ?? [10_000, 100_000, 1_000_000];
  const lengths = options.lengths ?? [2_048, 8_192, 32_768, 131_072];
  const runs = options.runs ?? 3;
  const singleRunAbove = options.singleRunAbove ?? 200_000;
  for (const f of [readChild, transformerChild]) {
    if (!existsSync(f)) throw new Error(`${f} is missing: run \`npm run build\` first`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'lectern-bench-engine-'));
  const machine = `${cpus()[0]?.model.trim() ?? 'unknown CPU'} × ${cpus().length}`;
  try {
    const reading: BenchTable = {
      title: `Mamba reader (${device}, ${basename(shipped)}): one pass over a document`,
      columns: ['tokens', 'graph', 'runs', 'tokens/s (median)', 'seconds (median)', 'first call s', 'other calls s', 'pooling s', 'commits s', 'peak RSS MB (max)', 'tokens per call', 'provider'],
      rows: [],
      notes: [
        `${machine}; each run in a fresh process and a fresh library file; text: Pride and Prejudice, repeated.`,
        'graph: reader = the reading graph the app reads with (no vocabulary head, unscored); full = model.onnx, scoring while it reads.',
      ],
    };
    // Both graphs side by side when the model has a reading graph; the full graph alone otherwise.
    const graphs: GraphChoice[] = loadManifest(shipped).reader_graph ? ['reader', 'full'] : ['full'];
    const peaks = new Map<GraphChoice, { tokens: number; mb: number }[]>();
    for (const tokens of sizes) {
      for (const graph of graphs) {
        // The graph the app reads with always runs `runs` times: its peak RSS has a target.
        const n = tokens > singleRunAbove && graph !== graphs[0] ? 1 : runs;
        const rs = await readRuns(dir, tokens, n, device, shipped, options.callTokens, graph);
        peaks.set(graph, [...(peaks.get(graph) ?? []), { tokens: rs[0].tokens, mb: Math.max(...rs.map((r) => r.peakRssMb)) }]);
        if (n === 1 && runs > 1) reading.notes!.push(`${tokens} tokens, ${graph}: measured once, to keep the run short.`);
        reading.rows.push([
          rs[0].tokens,
          graph,
          n,
          Math.round(median(rs.map((r) => r.tokensPerSecond))),
          +median(rs.map((r) => r.seconds)).toFixed(2),
          ...(['firstCallMs', 'callsMs', 'poolingMs', 'commitsMs'] as const).map((k) => +(median(rs.map((r) => r.stages[k])) / 1000).toFixed(2)),
          Math.round(Math.max(...rs.map((r) => r.peakRssMb))),
          rs[0].callTokens,
          rs[0].device.provider,
        ]);
      }
    }
    for (const [graph, p] of peaks) {
      const [first, last] = [p[0], p[p.length - 1]];
      if (p.length > 1) reading.notes!.push(`peak RSS, ${graph}: ${last.tokens} tokens / ${first.tokens} tokens = ${(last.mb / first.mb).toFixed(2)}× (the maxima above)`);
    }

    const versus: BenchTable = {
      title: `Mamba reader vs Transformer baseline (${device}, ${basename(byteModelDir)} against a Transformer of the same width, depth and vocabulary, both random weights)`,
      columns: ['tokens', 'Mamba s', 'Mamba peak MB', 'Transformer s', 'Transformer peak MB', 'Transformer / Mamba time'],
      rows: [],
      notes: [
        'seconds: the reading loop, without loading the model; peak RSS: the whole process. Mamba: median of the runs; Transformer: one run, calls of 1024 tokens with the KV cache growing.',
      ],
    };
    const haveBaseline = existsSync(transformerModel);
    if (!haveBaseline) versus.notes!.push(`no baseline at ${transformerModel}: Transformer columns empty`);
    let ratio32k: { speed: number; memory: number } | null = null;
    for (const tokens of lengths) {
      const ms = await readRuns(dir, tokens, runs, device, byteModelDir, options.callTokens, 'full');
      const m = { seconds: median(ms.map((r) => r.seconds)), peakRssMb: Math.max(...ms.map((r) => r.peakRssMb)) };
      let t: TransformerRun | null = null;
      if (haveBaseline) {
        t = await runJsonChild<TransformerRun>(transformerChild, ['--tokens', String(tokens), '--device', device]).catch((e: Error) => {
          versus.notes!.push(`Transformer at ${tokens}: ${e.message}`);
          return null;
        });
      }
      versus.rows.push([
        tokens,
        +m.seconds.toFixed(2),
        Math.round(m.peakRssMb),
        t ? `${t.seconds.toFixed(2)}${t.estimated ? ' (est.)' : ''}` : '—',
        t ? `${Math.round(t.peakRssMb)}${t.estimated ? ` (KV cache at the end: ${Math.round(t.kvCacheMb)})` : ''}` : '—',
        t ? +(t.seconds / m.seconds).toFixed(2) : '—',
      ]);
      if (t && tokens === 32_768) ratio32k = { speed: t.seconds / m.seconds, memory: m.peakRssMb / t.peakRssMb };
      if (t?.estimated) {
        versus.notes!.push(
          `Transformer at ${tokens}: ${t.measuredTokens} tokens measured, the rest extrapolated from per-call times (t = a + b·S); peak RSS is that of the measured part`,
        );
      }
    }
    if (ratio32k) {
      versus.notes!.push(
        `at 32k tokens, Mamba / Transformer: ${ratio32k.speed.toFixed(1)}× the tokens per second, ${ratio32k.memory.toFixed(2)}× the peak memory`,
      );
    }
    return [reading, versus];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
