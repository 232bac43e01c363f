// The engine as front ends use it. (1) The calling thread's event loop while the engine adds and
// reads the 352-page book: the longest stall a 5 ms interval timer saw and the event-loop delay
// histogram's maximum, against the same add run on the calling thread (as before the engine).
// (2) `lectern read` on Middlemarch as a user runs it (a fresh library, a new process), wall
// time beside the tokens/s in its own JSON, and where the rest of the wall time goes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Library } from '../../main/core/library.js';
import { createEngineClient } from '../../main/engine/client.js';
import { fixture, hasFixture, repoRoot } from '../support/fixtures.js';
import type { BenchTable } from './table.js';

const BOOK = 'books/freeculture.pdf';
const NOVEL = 'novels/middlemarch.txt';
const RUNS = 3;
const PROBE_MS = 5;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Watches this thread's event loop while `work` runs: the longest gap between timer ticks beyond their interval. */
async function watched<T>(work: () => Promise<T>): Promise<{ value: T; stallMs: number; delayMaxMs: number; ms: number }> {
  const histogram = monitorEventLoopDelay({ resolution: PROBE_MS });
  histogram.enable();
  let last = performance.now();
  let stall = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - last - PROBE_MS);
    last = now;
  }, PROBE_MS);
  const t0 = performance.now();
  try {
    const value = await work();
    const ms = performance.now() - t0;
    const now = performance.now();
    stall = Math.max(stall, now - last - PROBE_MS);
    return { value, stallMs: stall, delayMaxMs: histogram.max / 1e6, ms };
  } finally {
    clearInterval(probe);
    histogram.disable();
  }
}

async function stallTable(): Promise<BenchTable> {
  const rows: (string | number)[][] = [];
  const stalls = { add: [] as number[], read: [] as number[] };
  for (let run = 1; run <= RUNS; run++) {
    const dir = mkdtempSync(join(tmpdir(), 'lectern-bench-stall-'));
    const engine = createEngineClient({ dbPath: join(dir, 'library.sqlite') });
    try {
      const add = await watched(() => engine.addPath(fixture(BOOK)));
      const read = await watched(() => engine.read(add.value.document.id, { device: 'cpu' }));
      stalls.add.push(add.stallMs);
      stalls.read.push(read.stallMs);
      rows.push([`engine, run ${run}`, +(add.ms / 1000).toFixed(1), +add.stallMs.toFixed(1), +add.delayMaxMs.toFixed(1), +(read.ms / 1000).toFixed(1), +read.stallMs.toFixed(1), +read.delayMaxMs.toFixed(1), read.value.tokens]);
    } finally {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  // The machine's own noise: the same probe while this process does nothing (the 2 cores are
  // shared, and a thread that wakes waits for a core like any other).
  const idle = await watched(() => new Promise<void>((resolve) => setTimeout(resolve, 10_000)));
  rows.push(['idle, 10 s (the machine\'s own noise)', '', +idle.stallMs.toFixed(1), +idle.delayMaxMs.toFixed(1), '', '', '', '']);
  // The same add on the calling thread, as Library.add ran in the CLI before the engine.
  const dir = mkdtempSync(join(tmpdir(), 'lectern-bench-stall-'));
  const library = Library.open(join(dir, 'library.sqlite'));
  try {
    const add = await watched(() => library.add(fixture(BOOK)));
    rows.push(['on the calling thread (before the engine)', +(add.ms / 1000).toFixed(1), +add.stallMs.toFixed(1), +add.delayMaxMs.toFixed(1), '', '', '', '']);
  } finally {
    library.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    title: `The caller's event loop while ${BOOK} (352 pages) is added and read through the engine client (CPU)`,
    columns: ['how', 'add s', 'add: longest stall ms', 'add: loop delay max ms', 'read s', 'read: longest stall ms', 'read: loop delay max ms', 'tokens'],
    rows,
    notes: [
      `Longest stall: the longest gap between ticks of a ${PROBE_MS} ms interval timer, less the interval; loop delay: perf_hooks.monitorEventLoopDelay's maximum. Aim: under 50 ms.`,
      `Median over ${RUNS} runs: add ${median(stalls.add).toFixed(1)} ms, read ${median(stalls.read).toFixed(1)} ms. The add starts the engine (worker thread, library connection); the read opens the model session.`,
    ],
  };
}

interface ReadJson {
  tokens: number;
  tokens_per_second: number | null;
  timings_ms: { ingest: number; read: number; index: number; model_open: number; tokenize: number };
}

function wallTable(): BenchTable {
  const cli = join(repoRoot, 'bin', 'lectern.js');
  const runs: { wallMs: number; json: ReadJson }[] = [];
  for (let run = 0; run < RUNS; run++) {
    const dir = mkdtempSync(join(tmpdir(), 'lectern-bench-cli-'));
    try {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [cli, 'read', fixture(NOVEL), '--json', '--device', 'cpu', '--db', join(dir, 'library.sqlite')], { encoding: 'utf8' });
      const wallMs = performance.now() - t0;
      if (r.status !== 0) throw new Error(`lectern read failed (${r.status}): ${r.stderr}`);
      runs.push({ wallMs, json: JSON.parse(r.stdout) as ReadJson });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  // What a process costs before it does anything: Node itself, and the CLI's modules (--help).
  const timed = (args: string[]): number => {
    const ms: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      spawnSync(process.execPath, args);
      ms.push(performance.now() - t0);
    }
    return median(ms);
  };
  const nodeMs = timed(['-e', '']);
  const helpMs = timed([cli, '--help']);
  const med = (f: (r: (typeof runs)[number]) => number): number => median(runs.map(f));
  const wall = med((r) => r.wallMs);
  const t = (k: keyof ReadJson['timings_ms']): number => med((r) => r.json.timings_ms[k]);
  const accounted = t('ingest') + t('index') + t('model_open') + t('tokenize') + t('read');
  const tokens = runs[0].json.tokens;
  return {
    title: `\`lectern read ${NOVEL} --device cpu\` in a new process on a fresh library (median of ${RUNS})`,
    columns: ['part', 'ms', 'share of wall'],
    rows: [
      ['whole command (wall)', Math.round(wall), '100%'],
      ['Node starting (node -e "")', Math.round(nodeMs), `${((100 * nodeMs) / wall).toFixed(1)}%`],
      ['the CLI\'s modules loading (lectern --help, less Node)', Math.round(helpMs - nodeMs), `${((100 * (helpMs - nodeMs)) / wall).toFixed(1)}%`],
      ['ingest (in the engine)', Math.round(t('ingest')), `${((100 * t('ingest')) / wall).toFixed(1)}%`],
      ['index: passages and full-text rows in SQLite', Math.round(t('index')), `${((100 * t('index')) / wall).toFixed(1)}%`],
      ['model session opening', Math.round(t('model_open')), `${((100 * t('model_open')) / wall).toFixed(1)}%`],
      ['tokenizing', Math.round(t('tokenize')), `${((100 * t('tokenize')) / wall).toFixed(1)}%`],
      ['reading (the JSON\'s timings_ms.read)', Math.round(t('read')), `${((100 * t('read')) / wall).toFixed(1)}%`],
      ['the rest: engine start, closing, unaccounted', Math.round(wall - accounted - helpMs), `${((100 * (wall - accounted - helpMs)) / wall).toFixed(1)}%`],
    ],
    notes: [
      `${tokens.toLocaleString('en-US')} tokens: ${Math.round(med((r) => r.json.tokens_per_second ?? 0)).toLocaleString('en-US')} tokens/s in the JSON (the reading loop alone), ${Math.round(tokens / (wall / 1000)).toLocaleString('en-US')} tokens/s over the whole command.`,
    ],
  };
}

/** The same steps as `lectern read` through the client in this process, timed one by one. */
async function timelineTable(): Promise<BenchTable> {
  const dir = mkdtempSync(join(tmpdir(), 'lectern-bench-timeline-'));
  const marks: [string, number][] = [];
  let t = performance.now();
  const mark = (label: string): void => {
    const now = performance.now();
    marks.push([label, Math.round(now - t)]);
    t = now;
  };
  try {
    const engine = createEngineClient({ dbPath: join(dir, 'library.sqlite') });
    await engine.info();
    mark('engine start: worker thread, its modules, the library opened (first call answered)');
    const added = await engine.addPath(fixture(NOVEL));
    mark(`add: file read and hashed, ingest ${added.timingsMs.ingest} ms, index ${added.timingsMs.index} ms`);
    const read = await engine.read(added.document.id, { device: 'cpu' });
    mark(`read: model open ${read.timingsMs.modelOpen} ms, tokenize ${read.timingsMs.tokenize} ms, reading ${read.timingsMs.read} ms`);
    await engine.close();
    mark('close: model sessions released, the library closed (WAL checkpointed), thread stopped');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { title: `The same read through the engine client in-process, step by step (${NOVEL}, one run)`, columns: ['step', 'ms'], rows: marks };
}

export async function benchEngineClient(): Promise<BenchTable[]> {
  const tables: BenchTable[] = [];
  if (hasFixture(BOOK)) tables.push(await stallTable());
  else process.stderr.write(`bench: ${BOOK} is missing (../shared/fixtures); the stall table is skipped\n`);
  if (hasFixture(NOVEL)) tables.push(wallTable(), await timelineTable());
  else process.stderr.write(`bench: ${NOVEL} is missing (../shared/fixtures); the wall-time table is skipped\n`);
  return tables;
}
