// Huge plain text (issue 18): what a user meets when they hand Lectern a file of tens or hundreds
// of MB. For each generated size, as the user runs it (the built CLI, a process of its own):
// `lectern search FILE <a word it lacks>` adds the document and finds nothing, so what it measures
// is the add (peak RSS, seconds to the first progress line, seconds in all, the library's size);
// `lectern info` on the added document then shows what loading a whole document costs; then
// `lectern read` reads it for READ_SECONDS and is interrupted (Ctrl-C keeps what it read), which
// gives the store's bytes per read token, the read's first progress line and its peak RSS. The text is Pride and
// Prejudice (without its Gutenberg licence) repeated, each copy numbered, generated at run time (never committed).
// With LECTERN_BENCH_BASELINE naming another built checkout (e.g. `git worktree add /tmp/base <commit>`,
// `npm ci` or a copy of node_modules, `npx tsc -p tsconfig.build.json` there), every size also runs with
// its CLI, row by row beside this tree's, and a second table times adding ordinary books with both.
// Run directly with `npm run build && node dist/test/bench/ingest-text.js [MB…]`.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { fixture, repoRoot } from '../support/fixtures.js';
import { writeLongText } from '../support/long-text.js';
import { printTable, type BenchTable } from './table.js';

const BUILDS: Array<{ name: string; bin: string }> = [
  { name: 'this tree', bin: join(repoRoot, 'bin', 'lectern.js') },
  ...(process.env.LECTERN_BENCH_BASELINE ? [{ name: 'baseline', bin: join(process.env.LECTERN_BENCH_BASELINE, 'bin', 'lectern.js') }] : []),
];
const BOOKS = ['novels/pride_and_prejudice.txt', 'novels/moby_dick.txt'];
const BOOK_RUNS = 7;
const SIZES_MB = [10, 50, 200];
const READ_SECONDS = Number(process.env.LECTERN_BENCH_READ_SECONDS ?? 30);
const MiB = 2 ** 20;

interface Run {
  code: number | null;
  seconds: number;
  firstProgressSeconds: number | null;
  peakRssMb: number | null;
  stderr: string;
}

function peakKb(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Runs the CLI; `interruptAfter` sends Ctrl-C that many seconds after the first reading progress. */
function runCli(bin: string, args: string[], db: string, interruptAfter: number | null = null): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LECTERN_DB: db } });
    let stderr = '';
    let first: number | null = null;
    let peak: number | null = null;
    let interrupt: NodeJS.Timeout | null = null;
    const poll = setInterval(() => {
      const kb = child.pid === undefined ? null : peakKb(child.pid);
      if (kb !== null) peak = Math.max(peak ?? 0, kb);
    }, 20);
    child.stdout.resume();
    child.stderr.on('data', (chunk: Buffer) => {
      first ??= (performance.now() - started) / 1000;
      stderr += chunk.toString();
      if (interruptAfter !== null && interrupt === null && /reading: /.test(stderr)) {
        interrupt = setTimeout(() => child.kill('SIGINT'), interruptAfter * 1000);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      if (interrupt) clearTimeout(interrupt);
      resolve({ code, seconds: (performance.now() - started) / 1000, firstProgressSeconds: first, peakRssMb: peak === null ? null : peak / 1024, stderr });
    });
  });
}

interface StoreSize {
  bytes: number;
  tables: Map<string, number>;
  tokensDone: number;
  tokensTotal: number;
}

function storeSize(path: string): StoreSize {
  const db = new Database(path);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const tables = new Map<string, number>();
    for (const r of db.prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name').all() as { name: string; bytes: number }[]) {
      // The full-text index's shadow tables count as one.
      const name = r.name.startsWith('passages_fts') ? 'passages_fts' : r.name.startsWith('sqlite_autoindex_') ? r.name.replace(/^sqlite_autoindex_(\w+?)_\d+$/, '$1') : r.name;
      tables.set(name, (tables.get(name) ?? 0) + r.bytes);
    }
    const reading = db.prepare('SELECT tokens_done AS done, tokens_total AS total FROM readings').get() as { done: number; total: number } | undefined;
    return { bytes: statSync(path).size, tables, tokensDone: reading?.done ?? 0, tokensTotal: reading?.total ?? 0 };
  } finally {
    db.close();
  }
}

const growth = (after: StoreSize, before: StoreSize, table: string): number => (after.tables.get(table) ?? 0) - (before.tables.get(table) ?? 0);

export async function benchIngestText(sizes: number[] = SIZES_MB): Promise<BenchTable[]> {
  const rows: (string | number)[][] = [];
  const notes: string[] = [];
  for (const mb of sizes) {
    const temp = mkdtempSync(join(tmpdir(), 'lectern-bench-text-'));
    try {
      const file = join(temp, `long-${mb}mb.txt`);
      writeLongText(file, mb);
      for (const build of BUILDS) {
        const db = join(temp, `library-${build.name.replace(/\W/g, '-')}.db`);
        const add = await runCli(build.bin, ['search', file, 'qzxqzxqzx'], db);
        if (add.code !== 0) {
          rows.push([mb, build.name, add.code ?? -1, add.firstProgressSeconds ?? NaN, add.seconds, add.peakRssMb ?? NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]);
          notes.push(`${mb} MiB, ${build.name}: exit ${add.code}: ${add.stderr.trim().split('\n').pop() ?? ''}`);
          continue;
        }
        const document = storeSize(db);
        const info = await runCli(build.bin, ['info', file], db);
        const read = await runCli(build.bin, ['read', file], db, READ_SECONDS);
        const after = storeSize(db);
        const tokens = after.tokensDone;
        const perToken = (table: string): number => (tokens > 0 ? growth(after, document, table) / tokens : NaN);
        const readingBytes = [...after.tables.keys()].reduce((sum, t) => sum + growth(after, document, t), 0);
        rows.push([
          mb,
          build.name,
          add.code ?? -1,
          add.firstProgressSeconds ?? NaN,
          add.seconds,
          add.peakRssMb ?? NaN,
          info.peakRssMb ?? NaN,
          read.firstProgressSeconds ?? NaN,
          read.peakRssMb ?? NaN,
          document.bytes / MiB,
          after.tokensTotal > 0 ? document.bytes / after.tokensTotal : NaN,
          tokens > 0 ? readingBytes / tokens : NaN,
          perToken('checkpoints'),
          perToken('passage_outputs'),
        ]);
        const biggest = [...document.tables.entries()].sort((a, b) => b[1] - a[1]).slice(0, 4);
        notes.push(
          `${mb} MiB, ${build.name}: ${after.tokensTotal.toLocaleString('en-US')} tokens; the document's store: ${biggest.map(([t, b]) => `${t} ${(b / MiB).toFixed(0)} MiB`).join(', ')}; ` +
            `read ${tokens.toLocaleString('en-US')} tokens in about ${READ_SECONDS} s (the token count is the reader's estimate until it has tokenized the whole text)`,
        );
      }
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  }
  return [
    {
      title: 'Huge plain text: adding and reading a generated file (the built CLI, one run each)',
      columns: ['MiB', 'build', 'exit', 'first progress s', 'add s', 'add peak RSS MB', 'info peak RSS MB', 'read: first progress s', 'read peak RSS MB', 'store MiB (document)', 'document B/token', 'reading B/token', 'checkpoints B/token', 'vectors B/token'],
      rows,
      notes,
    },
    await benchBooks(),
  ];
}

/**
 * Adding an ordinary book with each build's Library in this process (a new library each time): CPU
 * time (user + system) as well as wall time, since wall time on a shared machine is mostly other
 * work's. Medians of BOOK_RUNS after one warm-up.
 */
async function benchBooks(): Promise<BenchTable> {
  const rows: (string | number)[][] = [];
  for (const book of BOOKS) {
    for (const build of BUILDS) {
      const root = join(build.bin, '..', '..');
      const { Library } = (await import(pathToFileURL(join(root, 'dist', 'main', 'core', 'library.js')).href)) as typeof import('../../main/core/library.js');
      const cpu: number[] = [];
      const wall: number[] = [];
      for (let run = 0; run <= BOOK_RUNS; run++) {
        const temp = mkdtempSync(join(tmpdir(), 'lectern-bench-book-'));
        const library = Library.open(join(temp, 'library.db'));
        try {
          const c0 = process.cpuUsage();
          const t0 = performance.now();
          await library.add(fixture(book));
          const c = process.cpuUsage(c0);
          if (run > 0) {
            cpu.push((c.user + c.system) / 1000);
            wall.push(performance.now() - t0);
          }
        } finally {
          library.close();
          rmSync(temp, { recursive: true, force: true });
        }
      }
      rows.push([book, build.name, statSync(fixture(book)).size / MiB, median(cpu), median(wall)]);
    }
  }
  return {
    title: `Adding an ordinary book (each build's Library in one process; medians of ${BOOK_RUNS} runs after a warm-up)`,
    columns: ['book', 'build', 'MiB', 'CPU ms', 'wall ms'],
    rows,
    notes: [],
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  for (const table of await benchIngestText(sizes.length > 0 ? sizes : SIZES_MB)) printTable(table);
}
