// Runs a reading or a scoring pass in a worker thread (main/worker.ts) and relays its
// progress, cancellation and result. The worker is always the compiled dist/main/worker.js
// under the package root, also when the caller runs from TypeScript sources (vitest): run
// `npm run build` first.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Cancelled, InputRejected, throwIfAborted, type RejectionReason } from '../errors.js';
import { packageRoot } from '../model/default-model.js';
import type { ReadProgress, ReadResult } from './reader.js';
import type { DeviceChoice } from '../model/session.js';

export interface WorkerArgs {
  /** read: the model's pass over the document; score: the scoring pass over a finished reading. */
  task: 'read' | 'score';
  dbPath: string;
  modelDir: string;
  device: DeviceChoice;
  documentId: number;
}

export type ToWorker = { type: 'cancel' };

export interface SerialisedError {
  name: string;
  message: string;
  reason: string | null;
}

export type FromWorker =
  | { type: 'progress'; progress: ReadProgress }
  | { type: 'result'; result: ReadResult }
  | { type: 'scored' }
  | { type: 'error'; error: SerialisedError };

export function serialiseError(e: unknown): SerialisedError {
  if (e instanceof Error) {
    const reason = (e as { reason?: unknown }).reason;
    return { name: e.name, message: e.message, reason: typeof reason === 'string' ? reason : null };
  }
  return { name: 'Error', message: String(e), reason: null };
}

/** Rebuilds the error classes callers test for; others keep their name and message. */
export function reviveError(e: SerialisedError): Error {
  if (e.name === 'Cancelled') return new Cancelled(e.message);
  if (e.name === 'InputRejected' && e.reason) return new InputRejected(e.reason as RejectionReason, e.message);
  const error = new Error(e.message);
  error.name = e.name;
  return error;
}

/**
 * V8 limits for a reading worker. Its young generation (the nursery) grows to V8's default
 * maximum under the tokenizer's allocation rate and stays there; capped at 8 MB a reading is as
 * fast (27-29k tokens/s either way on 2 cores, measured) and a 981k-token reading's peak RSS was
 * 1.18× a 10k-token one's instead of 1.22× (measured before output-garbage.ts and the reading
 * connection's page cache, which together bring it to 1.15×).
 */
export const READING_WORKER_LIMITS = { maxYoungGenerationSizeMb: 8 } as const;

export function workerScript(): string {
  return join(packageRoot(), 'dist', 'main', 'worker.js');
}

type WorkerCall = Omit<WorkerArgs, 'task'> & { onProgress?: (p: ReadProgress) => void; signal?: AbortSignal };

export async function readInWorker(args: WorkerCall): Promise<ReadResult> {
  const m = await runInWorker({ ...args, task: 'read' });
  if (m.type !== 'result') throw new Error('the reading worker answered a reading with no result');
  return m.result;
}

export async function scoreInWorker(args: WorkerCall): Promise<void> {
  const m = await runInWorker({ ...args, task: 'score' });
  if (m.type !== 'scored') throw new Error('the reading worker answered a scoring pass with no score');
}

type Finished = Extract<FromWorker, { type: 'result' } | { type: 'scored' }>;

async function runInWorker(args: WorkerCall & { task: WorkerArgs['task'] }): Promise<Finished> {
  const script = workerScript();
  if (!existsSync(script)) throw new Error(`the reading worker is not built (${script} is missing): run \`npm run build\``);
  throwIfAborted(args.signal);
  const workerData: WorkerArgs = { task: args.task, dbPath: args.dbPath, modelDir: args.modelDir, device: args.device, documentId: args.documentId };
  const worker = new Worker(script, { workerData, resourceLimits: READING_WORKER_LIMITS });
  return new Promise<Finished>((resolve, reject) => {
    let settled = false;
    const onAbort = (): void => worker.postMessage({ type: 'cancel' } satisfies ToWorker);
    args.signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      args.signal?.removeEventListener('abort', onAbort);
      // Everything the worker wrote is committed before its last message; a worker left to
      // wind down by itself can keep the caller's process alive (onnxruntime's threads).
      void worker.terminate();
      fn();
    };
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'progress') args.onProgress?.(m.progress);
      else if (m.type === 'error') settle(() => reject(reviveError(m.error)));
      else settle(() => resolve(m));
    });
    worker.on('error', (e) => settle(() => reject(e)));
    worker.on('exit', (code) =>
      settle(() => reject(new Error(`the reading worker stopped (exit code ${code}) before it finished`))),
    );
  });
}
