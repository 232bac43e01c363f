// One model run at a time in this process. Concurrent runs of onnxruntime sessions crash its
// WebGPU provider (ARCHITECTURE §2), and on the CPU two runs only share the same cores; so
// every pass of a model (reading, scoring, re-reading for an answer) waits its turn here, whatever
// document or session it is for. A cancelled waiter leaves the queue without running.
import { throwIfAborted } from '../core/errors.js';

export class RunQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const result = this.tail.then(() => {
      throwIfAborted(signal);
      return task();
    });
    // The next task waits for this one to settle, never for it to succeed.
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** The process's queue: every engine in this process shares it. */
export const modelRuns = new RunQueue();
