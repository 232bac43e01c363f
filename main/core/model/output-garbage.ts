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

let collector: Collect | null | undefined;

/**
 * V8's own collector for the young generation, or null where the runtime refuses it. Node
 * exposes `gc` only to contexts created while --expose-gc is set, so the flag is set just for
 * the one context that hands the function out.
 */
export function youngGenerationCollector(): Collect | null {
  if (collector !== undefined) return collector;
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    setFlagsFromString('--no-expose-gc');
    collector = typeof gc === 'function' ? () => (gc as (o: { type: 'minor' }) => void)({ type: 'minor' }) : null;
  } catch {
    collector = null;
  }
  return collector;
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
