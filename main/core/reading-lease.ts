// Waits for and holds the lease on reading a document with a model (store/read-leases.ts): a
// second reader of the same document waits for the first instead of running the model twice,
// then finds the reading finished, or resumes it if the first stopped.
import { setTimeout as sleep } from 'node:timers/promises';
import { cancelledBy, throwIfAborted } from './errors.js';
import type { Db } from './store/db.js';
import { HEARTBEAT_MS, releaseLease, renewLease, tryTakeLease, type LeaseHolder } from './store/read-leases.js';

/** How often a waiting reader looks again: the first one's end is noticed within this. */
const POLL_MS = 250;

export interface HeldLease {
  release(): void;
}

export async function holdReadLease(
  db: Db,
  documentId: number,
  modelId: string,
  options: { signal?: AbortSignal; onWait?: (holder: LeaseHolder) => void } = {},
): Promise<HeldLease> {
  let told = false;
  for (;;) {
    throwIfAborted(options.signal);
    const holder = tryTakeLease(db, documentId, modelId);
    if (holder === null) break;
    if (!told) options.onWait?.(holder);
    told = true;
    try {
      await sleep(POLL_MS, undefined, { signal: options.signal });
    } catch (e) {
      if (options.signal?.aborted) throw cancelledBy(options.signal);
      throw e;
    }
  }
  // The model's calls give the thread back between them (each a few tens of ms), so the
  // heartbeat is renewed on time while it reads.
  const timer = setInterval(() => renewLease(db, documentId, modelId), HEARTBEAT_MS);
  timer.unref();
  return {
    release() {
      clearInterval(timer);
      releaseLease(db, documentId, modelId);
    },
  };
}
