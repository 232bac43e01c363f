// Checks every ingestion test makes: a Document's blocks sit exactly at their offsets, and bad
// input surfaces as InputRejected (never a parser's own error).
import { expect } from 'vitest';
import type { Document } from '../../main/core/document.js';
import { InputRejected } from '../../main/core/errors.js';

export function expectConsistentOffsets(doc: Document): void {
  for (const block of doc.blocks) expect(doc.text.slice(block.start, block.end)).toBe(block.text);
}

/** The InputRejected that `promise` rejects with; fails the test if it resolves or throws anything else. */
export async function rejectionOf(promise: Promise<unknown>): Promise<InputRejected> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputRejected);
  return error as InputRejected;
}
