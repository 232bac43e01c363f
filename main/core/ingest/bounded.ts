// Ingestion with a bound on every stage (issue 18, item 9). Plain text and Markdown are parsed
// here (our own linear code, bounded by the size limit); PDF, DOCX and EPUB go to a parser thread
// (main/ingest-worker.ts) that this module watches: a page that gives no text or drawing within
// `pageMs` is skipped with a warning (the thread is terminated and started again without that
// page), and a document past its whole bound, scaled by its page count or size, is rejected
// ('timeout'). Terminating a thread stops it even inside a synchronous loop, which no timer on
// the parser's own thread could (see stages.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Document } from '../document.js';
import { cancelledBy, rejections, throwIfAborted } from '../errors.js';
import { packageRoot } from '../model/default-model.js';
import type { WireError } from '../../../common/errors.js';
import { errorFromWire } from '../error-wire.js';
import { detectFormat } from './detect.js';
import { DEFAULT_MAX_BYTES, ingest, type IngestOptions } from './index.js';
import { DEFAULT_BOUNDS, documentBoundMs, type IngestBounds, type PageSkips, type StageReport } from './stages.js';

export interface BoundedIngestOptions extends Omit<IngestOptions, 'onStage' | 'skip'> {
  bounds?: Partial<IngestBounds>;
  /** A page left out, or anything else the reader should know about the result. */
  onWarning?: (message: string) => void;
}

export interface IngestWorkerArgs {
  bytes: Uint8Array;
  fileName: string | undefined;
  password: string | undefined;
  maxBytes: number;
  skip: PageSkips;
}

export type FromIngestWorker =
  | { type: 'stage'; report: StageReport }
  | { type: 'progress'; done: number; total: number }
  | { type: 'result'; doc: Document }
  | { type: 'error'; error: WireError };

export function ingestWorkerScript(): string {
  return join(packageRoot(), 'dist', 'main', 'ingest-worker.js');
}

export async function ingestBounded(bytes: Uint8Array, options: BoundedIngestOptions = {}): Promise<Document> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  throwIfAborted(options.signal);
  let format: ReturnType<typeof detectFormat>;
  try {
    format = detectFormat(bytes, options.fileName);
  } catch {
    // ingest() words every rejection the same way, including this one.
    return ingest(bytes, options);
  }
  if (format === 'txt' || format === 'md' || bytes.length > maxBytes) return ingest(bytes, options);
  const bounds = { ...DEFAULT_BOUNDS, ...options.bounds };
  const started = performance.now();
  const skip: PageSkips = { text: [], drawing: [] };
  for (;;) {
    const outcome = await attempt(bytes, options, bounds, maxBytes, skip, started);
    if ('doc' in outcome) return outcome.doc;
    const { stage, page } = outcome.stalled;
    skip[stage].push(page);
    options.onWarning?.(
      `page ${page} skipped: its ${stage === 'text' ? 'text' : 'drawing'} did not finish within ${formatSeconds(bounds.pageMs)}`,
    );
  }
}

type Attempt = { doc: Document } | { stalled: { stage: keyof PageSkips; page: number } };

/** One run of the parser thread, until it answers, stalls on a page, or runs out of time. */
function attempt(
  bytes: Uint8Array,
  options: BoundedIngestOptions,
  bounds: IngestBounds,
  maxBytes: number,
  skip: PageSkips,
  started: number,
): Promise<Attempt> {
  const script = ingestWorkerScript();
  if (!existsSync(script)) throw new Error(`the ingestion worker is not built (${script} is missing): run \`npm run build\``);
  const workerData: IngestWorkerArgs = { bytes, fileName: options.fileName, password: options.password, maxBytes, skip };
  const worker = new Worker(script, { workerData, resourceLimits: { maxOldGenerationSizeMb: bounds.heapMb } });
  return new Promise<Attempt>((resolve, reject) => {
    let settled = false;
    let pageTimer: NodeJS.Timeout | null = null;
    let documentTimer: NodeJS.Timeout | null = null;
    let pages: number | null = null;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      if (pageTimer) clearTimeout(pageTimer);
      if (documentTimer) clearTimeout(documentTimer);
      options.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      fn();
    };
    const armDocumentTimer = (): void => {
      if (documentTimer) clearTimeout(documentTimer);
      const boundMs = documentBoundMs(bounds, pages, bytes.length);
      const what = pages === null ? `a ${formatMib(bytes.length)} file` : `a ${pages}-page document`;
      documentTimer = setTimeout(
        () => settle(() => reject(rejections.timeout(`not read within ${formatSeconds(boundMs)}, the bound for ${what}`))),
        Math.max(0, started + boundMs - performance.now()),
      );
    };
    const onAbort = (): void => settle(() => reject(cancelledBy(options.signal as AbortSignal)));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    armDocumentTimer();
    worker.on('message', (m: FromIngestWorker) => {
      if (m.type === 'stage') {
        if (m.report.pages !== null && m.report.pages !== pages) {
          pages = m.report.pages;
          armDocumentTimer();
        }
        if (pageTimer) clearTimeout(pageTimer);
        pageTimer = null;
        const { stage, page } = m.report;
        if ((stage === 'text' || stage === 'drawing') && page !== null) {
          pageTimer = setTimeout(() => settle(() => resolve({ stalled: { stage, page } })), bounds.pageMs);
        }
      } else if (m.type === 'progress') {
        options.onProgress?.(m.done, m.total);
      } else if (m.type === 'result') {
        settle(() => resolve({ doc: m.doc }));
      } else {
        settle(() => reject(errorFromWire(m.error)));
      }
    });
    worker.on('error', (e: Error & { code?: string }) =>
      settle(() =>
        reject(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? rejections.tooLarge(`parsing it needs more than ${bounds.heapMb} MB of memory`) : e),
      ),
    );
    worker.on('exit', (code) => settle(() => reject(new Error(`the ingestion worker stopped (exit code ${code}) before it finished`))));
  });
}

function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

function formatMib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
