// PDF ingestion benchmark: Lectern (pdf.js text + layout) beside poppler's pdftotext, on
// freeculture.pdf (352 pages) and a generated 1,000-page PDF. Each run is a process of its own,
// so peak RSS is that run's own; every figure is the median of three runs.
// Run directly with `npm run build && node dist/test/bench/ingest-pdf.js`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fixture, repoRoot } from '../support/fixtures.js';
import { makePdf } from '../support/make-pdf.js';
import { printTable, type BenchTable } from './table.js';

const CHILD = join(repoRoot, 'dist', 'test', 'bench', 'ingest-pdf-child.js');
const RUNS = 3;
const GENERATED_PAGES = 1000;

interface Measurement {
  seconds: number;
  peakRssMb: number | null;
}

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
  /** Highest VmHWM seen while polling /proc, in MB (a fallback when GNU time is missing). */
  polledPeakMb: number | null;
}

function readPeakKb(pid: number): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

function runProcess(command: string, args: string[], pollRss = false): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peakKb: number | null = null;
    const poll = pollRss
      ? setInterval(() => {
          const kb = child.pid === undefined ? null : readPeakKb(child.pid);
          if (kb !== null) peakKb = Math.max(peakKb ?? 0, kb);
        }, 5)
      : null;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => {
      if (poll) clearInterval(poll);
      reject(error);
    });
    child.on('close', (code) => {
      if (poll) clearInterval(poll);
      const seconds = (performance.now() - started) / 1000;
      resolve({ code, stdout, stderr, seconds, polledPeakMb: peakKb === null ? null : peakKb / 1024 });
    });
  });
}

async function lectern(file: string): Promise<Measurement> {
  const run = await runProcess(process.execPath, [CHILD, file]);
  if (run.code !== 0) throw new Error(`ingest-pdf-child failed on ${file}: ${run.stderr.trim()}`);
  const result = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { ms: number; peakRssMb: number };
  return { seconds: result.ms / 1000, peakRssMb: result.peakRssMb };
}

function hasPdftotext(): boolean {
  return !spawnSync('pdftotext', ['-v']).error;
}

async function pdftotext(file: string, gnuTime: boolean): Promise<Measurement> {
  if (gnuTime) {
    const run = await runProcess('/usr/bin/time', ['-f', '%M', 'pdftotext', '-q', file, '/dev/null']);
    if (run.code !== 0) throw new Error(`pdftotext failed on ${file}: ${run.stderr.trim()}`);
    const kb = Number(run.stderr.trim().split('\n').pop());
    return { seconds: run.seconds, peakRssMb: Number.isFinite(kb) ? kb / 1024 : null };
  }
  const run = await runProcess('pdftotext', ['-q', file, '/dev/null'], true);
  if (run.code !== 0) throw new Error(`pdftotext failed on ${file}: ${run.stderr.trim()}`);
  return { seconds: run.seconds, peakRssMb: run.polledPeakMb };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function medianOf(measure: () => Promise<Measurement>): Promise<Measurement> {
  const runs: Measurement[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await measure());
  const peaks = runs.map((r) => r.peakRssMb).filter((p): p is number => p !== null);
  return { seconds: median(runs.map((r) => r.seconds)), peakRssMb: peaks.length > 0 ? median(peaks) : null };
}

function pageCount(file: string): number {
  const info = spawnSync('pdfinfo', [file], { encoding: 'utf8' });
  const match = /^Pages:\s+(\d+)/m.exec(info.stdout ?? '');
  return match ? Number(match[1]) : NaN;
}

export async function benchIngestPdf(): Promise<BenchTable> {
  if (!existsSync(CHILD)) throw new Error(`${CHILD} is missing: run \`npm run build\` first`);
  const notes: string[] = [];
  const temp = mkdtempSync(join(tmpdir(), 'lectern-bench-pdf-'));
  try {
    const generated = join(temp, `generated-${GENERATED_PAGES}-pages.pdf`);
    writeFileSync(
      generated,
      makePdf({
        pages: GENERATED_PAGES,
        header: 'A Generated Book of One Thousand Pages',
        footer: 'Chapter Seven, page {page}',
        pageNumbers: true,
      }).bytes,
    );
    const documents = [
      { file: fixture('books/freeculture.pdf'), pages: 352 },
      { file: generated, pages: GENERATED_PAGES },
    ];
    const withPoppler = hasPdftotext();
    const gnuTime = existsSync('/usr/bin/time');
    if (!withPoppler) notes.push('pdftotext (poppler-utils) is not installed here: its cells are n/a.');
    else if (!gnuTime) notes.push('GNU time is missing: pdftotext peak RSS is polled from /proc every 5 ms.');
    const rows: (string | number)[][] = [];
    for (const { file, pages } of documents) {
      const megabytes = statSync(file).size / (1024 * 1024);
      const name = basename(file);
      const counted = withPoppler ? pageCount(file) : pages;
      if (counted !== pages) notes.push(`${name}: pdfinfo counts ${counted} pages.`);
      const ours = await medianOf(() => lectern(file));
      rows.push([name, pages, megabytes, 'Lectern (pdf.js)', ours.seconds, pages / ours.seconds, megabytes / ours.seconds, ours.peakRssMb ?? NaN]);
      if (withPoppler) {
        const theirs = await medianOf(() => pdftotext(file, gnuTime));
        rows.push([name, pages, megabytes, 'pdftotext (poppler)', theirs.seconds, pages / theirs.seconds, megabytes / theirs.seconds, theirs.peakRssMb ?? NaN]);
      } else {
        rows.push([name, pages, megabytes, 'pdftotext (poppler)', 'n/a', 'n/a', 'n/a', 'n/a']);
      }
    }
    notes.push(
      `Median of ${RUNS} runs, each in its own process. Lectern's time is the ingestion inside its process ` +
        '(text, layout, furniture, paragraphs, headings; Node start-up excluded); pdftotext\'s is its whole process wall time.',
      'Peak RSS: Lectern from process.resourceUsage().maxRSS at the end of its process (Node and pdf.js included); ' +
        'pdftotext from GNU time (%M).',
    );
    return {
      title: 'PDF ingestion: Lectern vs pdftotext',
      columns: ['document', 'pages', 'MB', 'tool', 'seconds', 'pages/s', 'MB/s', 'peak RSS (MB)'],
      rows,
      notes,
    };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printTable(await benchIngestPdf());
}
