// Frees the ArrayBuffers of finished calls' outputs promptly. onnxruntime-node copies every
// output into a new ArrayBuffer, so a reading receives a whole state (0.8 MB for the shipped
// model) per call, dead by the next call. V8 frees such buffers only when it next collects the
// young generation, and it puts that off until 16–46 MB of them have piled up (measured on a
// 981k-token reading: external memory swings by ~30 MB, and a state buffer that happens to live
// across two scavenges is promoted and waits for a full collection). That pile, not anything the
// reading keeps, is most of why a long reading's peak RSS was 1.22× a short one's.
//
// So a long pass copies each call's state into buffers it owns (ChunkInputs.stateInto), which
// leaves the output buffers dead before any collection, and the session collects the young
// generation once every few MB of outputs: ~0.3 ms per collection, 0.5% of a CPU reading.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Output bytes between two collections: about five calls of the shipped model's state. */
export const OUTPUT_GARBAGE_BUDGET_BYTES = 4 * 1024 * 1024;

export type Collect = () => void;

/** Without options a full collection; `{ type: 'minor' }` the young generation only. */
type V8Gc = (options?: { type: 'minor' }) => void;

let exposed: V8Gc | null | undefined;
let young: Collect | null | undefined;
let full: Collect | null | undefined;

/**
 * V8's own collector, or null where the runtime refuses it. Node exposes `gc` only to contexts
 * created while --expose-gc is set, so the flag is set just for the one context that hands the
 * function out.
 */
function v8Gc(): V8Gc | null {
  if (exposed !== undefined) return exposed;
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    setFlagsFromString('--no-expose-gc');
    exposed = typeof gc === 'function' ? (gc as V8Gc) : null;
  } catch {
    exposed = null;
  }
  return exposed;
}

/** A collection of the young generation, or null where the runtime refuses it. */
export function youngGenerationCollector(): Collect | null {
  if (young !== undefined) return young;
  const gc = v8Gc();
  young = gc === null ? null : () => gc({ type: 'minor' });
  return young;
}

/**
 * A full collection, or null where the runtime refuses it. Adding a book of tens of MB leaves
 * whole copies of its text dead between stages (issue 18); V8 puts off collecting them until
 * the heap has grown by several times what is live, so the next stage's copy came on top.
 */
export function fullCollector(): Collect | null {
  if (full !== undefined) return full;
  const gc = v8Gc();
  // Called without options: on Node 20, `{ type: 'major' }` passed from this realm collected
  // nothing (2026-12-05).
  full = gc === null ? null : () => gc();
  return full;
}

/** Counts the output bytes a session hands out and collects once they pass the budget. */
export class OutputGarbage {
  private bytes = 0;

  constructor(
    private readonly budget = OUTPUT_GARBAGE_BUDGET_BYTES,
    private readonly collect: () => Collect | null = youngGenerationCollector,
  ) {}

  /** `bytes` more of output handed to the caller. */
  add(bytes: number): void {
    this.bytes += bytes;
  }

  /** Call before a run, when the previous call's outputs are dead. */
  collectIfDue(): void {
    if (this.bytes < this.budget) return;
    this.bytes = 0;
    this.collect()?.();
  }
}
