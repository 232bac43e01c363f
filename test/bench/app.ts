/// <reference lib="dom" />
// `npm run bench -- app`: the desktop app's UI in web mode, in Debian's Chromium, on the
// 352-page book, each run from an empty library: from dropping the file to its first page on
// screen; to the first cited answer on screen, the question asked as soon as the UI lets one ask
// (the book open, while the model still reads it: that answer is `partial`, from search and
// structure); to the end of the reading; to the first full answer (the same question asked again
// the moment the reading is done). The longest main-thread task while the book is added, and
// while it is open and read (the aim is nothing over 100 ms); the page's JS heap.
// LECTERN_BENCH_TRACE=1 also records a Chrome trace of each run and prints what its long tasks
// were made of (long-tasks.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { fixture, hasFixture, repoRoot } from '../support/fixtures.js';
import { hasChromium, startWebApp, type WebApp } from '../support/web-app.js';
import { longTasksOf, TRACE_CATEGORIES } from './long-tasks.js';
import type { BenchTable } from './table.js';

const BOOK = 'books/freeculture.pdf';
const QUESTION = 'What did the court decide about the Causby farm and airplanes?';
const RUNS = Number(process.env.LECTERN_BENCH_APP_RUNS ?? 3);
const TRACE = process.env.LECTERN_BENCH_TRACE === '1';

interface AppRun {
  firstPageMs: number;
  /** Drop → the first answer with a citation on screen; null when none came. */
  firstAnswerMs: number | null;
  firstAnswerPartial: boolean;
  /** Drop → the first answer that is not partial (asked again after the reading if the first was). */
  fullAnswerMs: number | null;
  readMs: number;
  /** Longest main-thread task while the book is uploaded and ingested, the library on screen. */
  addingTaskMs: number;
  /** Longest main-thread task from opening the book (pdf.js's first page, a question) to the end of its reading. */
  readingTaskMs: number;
  heapMb: number;
  load: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

type Window = { longestTask: number };
const longest = (page: Page) => page.evaluate(() => (window as unknown as Window).longestTask);
const resetLongest = (page: Page) => page.evaluate(() => ((window as unknown as Window).longestTask = 0));

/** Asks in the open reader with the keyboard; resolves when an answer (cited or not) is on screen, with whether it is cited and partial. */
async function askNow(page: Page): Promise<{ cited: boolean; partial: boolean }> {
  const before = await page.getByTestId('exchange').count();
  await page.keyboard.press('Control+l');
  await page.keyboard.type(QUESTION);
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="exchange"]').length > n, before);
  const exchange = page.getByTestId('exchange').first();
  await exchange.locator('.answer [data-testid="citation"], [data-testid="not-found"], .error').first().waitFor({ timeout: 300_000 });
  const cited = (await exchange.locator('.answer [data-testid="citation"]').count()) > 0;
  const partial = (await exchange.locator('.answer[data-partial="true"]').count()) > 0;
  return { cited, partial };
}

async function untilRead(app: WebApp, id: string): Promise<void> {
  for (;;) {
    if ((await app.api.getDocument(id)).reading?.status === 'done') return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function oneRun(n: number): Promise<AppRun> {
  const app = await startWebApp();
  const page = app.page;
  try {
    await page.getByRole('heading', { name: 'Library' }).waitFor();
    await page.evaluate(() => {
      const w = window as unknown as Window;
      w.longestTask = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.longestTask = Math.max(w.longestTask, e.duration);
      }).observe({ type: 'longtask', buffered: false });
    });
    if (TRACE) await app.browser.startTracing(page, { categories: TRACE_CATEGORIES });
    const load = loadavg()[0];
    const t0 = performance.now();
    await page.getByTestId('file-input').setInputFiles(fixture(BOOK));
    const open = page.getByRole('button', { name: /^Open Free Culture/ });
    await open.waitFor({ timeout: 300_000 });
    const id = (await page.locator('tr[data-document-id]').getAttribute('data-document-id')) ?? '';
    const addingTaskMs = await longest(page);
    await resetLongest(page);
    await open.click();
    // The Ask panel is there as soon as the reader opens; the first page is drawn beside it.
    await page.getByRole('tablist').waitFor();
    const firstPage = page.locator('.page[data-page-number="1"][data-loaded="true"] canvas').first().waitFor({ state: 'attached', timeout: 120_000 }).then(() => performance.now() - t0);
    const first = await askNow(page);
    const firstAnswerMs = first.cited ? performance.now() - t0 : null;
    const firstPageMs = await firstPage;
    await untilRead(app, id);
    const readMs = performance.now() - t0;
    let fullAnswerMs = first.cited && !first.partial ? firstAnswerMs : null;
    if (fullAnswerMs === null) {
      const again = await askNow(page);
      if (again.cited && !again.partial) fullAnswerMs = performance.now() - t0;
    }
    const readingTaskMs = await longest(page);
    const heapMb = await page.evaluate(() => ((performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? NaN) / 2 ** 20);
    if (TRACE) {
      const trace = (await app.browser.stopTracing()).toString('utf8');
      const dir = join(repoRoot, 'artifacts', 'bench');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `app-trace-${n}.json`), trace);
      const tasks = longTasksOf(trace);
      const most = (f: (t: (typeof tasks)[number]) => number) => Math.max(0, ...tasks.map(f));
      process.stderr.write(`trace ${n}: longest task ${most((t) => t.ms)} ms of wall time; most CPU time in one task ${most((t) => t.cpuMs)} ms\n`);
      for (const task of tasks) process.stderr.write(`long task at ${task.startMs} ms: ${task.ms} ms (CPU ${task.cpuMs} ms)\n  ${task.parts.join('\n  ')}\n  JS (self):\n    ${task.functions.join('\n    ')}\n`);
    }
    return { firstPageMs, firstAnswerMs, firstAnswerPartial: first.partial, fullAnswerMs, readMs, addingTaskMs, readingTaskMs, heapMb, load };
  } finally {
    await app.close();
  }
}

export async function benchApp(): Promise<BenchTable> {
  if (!hasChromium || !hasFixture(BOOK)) {
    return { title: 'App (web mode, Chromium)', columns: ['measure', 'value'], rows: [], notes: ['skipped: needs /usr/bin/chromium and the freeculture.pdf fixture'] };
  }
  const runs: AppRun[] = [];
  for (let i = 0; i < RUNS; i++) {
    runs.push(await oneRun(i));
    process.stderr.write(`app run ${i + 1}: ${JSON.stringify(runs[i], (_k, v: unknown) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v))}\n`);
  }
  const range = (xs: number[], digits = 0) => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;
  const row = (name: string, xs: (number | null)[], digits = 0): (string | number)[] => {
    const got = xs.filter((x): x is number => x !== null);
    const missing = xs.length - got.length;
    return [name, got.length > 0 ? median(got) : 'n/a', got.length > 0 ? range(got, digits) + (missing > 0 ? ` (${missing} of ${xs.length} runs had none)` : '') : ''];
  };
  const partial = runs.filter((r) => r.firstAnswerPartial).length;
  const rows: (string | number)[][] = [
    row('drop → first page on screen (ms)', runs.map((r) => r.firstPageMs)),
    row(`drop → first cited answer on screen (ms; asked as the book opened; partial in ${partial} of ${runs.length} runs)`, runs.map((r) => r.firstAnswerMs)),
    row('drop → reading done (ms)', runs.map((r) => r.readMs)),
    row('drop → first full (not partial) cited answer (ms; asked again when the reading was done)', runs.map((r) => r.fullAnswerMs)),
    row('longest main-thread task while the book is added, library on screen (ms)', runs.map((r) => r.addingTaskMs)),
    row('longest main-thread task from opening the book to the end of its reading and the second answer (ms)', runs.map((r) => r.readingTaskMs)),
    row('page JS heap with the book open (MB)', runs.map((r) => r.heapMb), 1),
  ];
  return {
    title: 'App in web mode (Chromium, the 352-page freeculture.pdf)',
    columns: ['measure', `median of ${RUNS}`, 'range'],
    rows,
    notes: [
      `Load average (1 min) at the start of each run: ${runs.map((r) => r.load.toFixed(2)).join(', ')}.`,
      'The web server runs in the benchmark process, the engine (ingestion, the model) in its worker thread; Chromium is Debian\'s, headless. "Reading done" is when the engine reports the reading finished.',
    ],
  };
}
