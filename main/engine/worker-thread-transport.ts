// The engine in a worker thread of the caller's process: the compiled dist/main/engine/worker.js
// under the package root, also when the caller runs from TypeScript sources (vitest): run
// `npm run build` first.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { packageRoot } from '../core/model/default-model.js';
import type { FromEngine, ToEngine } from './protocol.js';
import type { EnginePort, EngineTransport, TransportFactory } from './transport.js';

/** What the engine needs to start: where the library is and which model reads. */
export interface EngineConfig {
  dbPath: string;
  /** A model folder; the bundled default when absent. */
  modelDir?: string;
}

/**
 * V8 limits for the engine's thread. Its young generation (the nursery) grows to V8's default
 * maximum under the tokenizer's allocation rate and stays there; capped at 8 MB a reading is as
 * fast (27-29k tokens/s either way on 2 cores, measured 2026-11) and a 981k-token reading's peak
 * RSS was 1.18x a 10k-token one's instead of 1.22x (measured before output-garbage.ts and the
 * reading connection's page cache, which together bring it to 1.15x).
 */
export const ENGINE_WORKER_LIMITS = { maxYoungGenerationSizeMb: 8 } as const;

export function engineWorkerScript(): string {
  return join(packageRoot(), 'dist', 'main', 'engine', 'worker.js');
}

export function workerThreadTransport(config: EngineConfig): TransportFactory {
  return () => {
    const script = engineWorkerScript();
    if (!existsSync(script)) throw new Error(`the engine is not built (${script} is missing): run \`npm run build\``);
    return overWorker(new Worker(script, { workerData: config satisfies EngineConfig, resourceLimits: ENGINE_WORKER_LIMITS }));
  };
}

/** The client's end over a started engine worker. */
export function overWorker(worker: Worker): EngineTransport {
  let exitListener: ((reason: string) => void) | null = null;
  let gone = false;
  let lastError: Error | null = null;
  worker.on('error', (e) => (lastError = e));
  worker.on('exit', (code) => {
    if (gone) return;
    gone = true;
    exitListener?.(lastError ? lastError.message : `exit code ${code}`);
  });
  return {
    send: (m: ToEngine) => worker.postMessage(m),
    onMessage: (listener) => worker.on('message', listener),
    onExit: (listener) => (exitListener = listener),
    setBusy: (busy) => (busy ? worker.ref() : worker.unref()),
    terminate: async () => {
      gone = true;
      await worker.terminate();
    },
  };
}

/** Inside the worker: the port to the client and the configuration it was started with. */
export function workerThreadPort(): { port: EnginePort; config: EngineConfig } {
  if (!parentPort) throw new Error('main/engine/worker.js runs as a worker thread; use createEngineClient()');
  const port = parentPort;
  return {
    port: { post: (m: FromEngine) => port.postMessage(m), onMessage: (l) => port.on('message', l) },
    config: workerData as EngineConfig,
  };
}
