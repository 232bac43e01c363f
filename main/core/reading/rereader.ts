// Re-reading from a stored checkpoint: restore the state nearest before a point of the
// document, replay the document's tokens up to that point, then run any token sequence (a
// question, a passage) and return the model's outputs for it. This is how answers get the
// model's attention on one part of a long book without reading it all again.
import type { Db } from '../store/db.js';
import { getDocument, loadDocumentText } from '../store/documents.js';
import { checkpointAtOrBefore, getReading } from '../store/readings.js';
import { callInputs, documentStream } from './reader.js';
import type { Model } from '../model/session.js';
import { decodeState, zeroState, type ModelState } from '../model/state.js';

export interface RereadResult {
  /** [ids.length]: the relevance head's logit after each of `ids`. */
  relevance: Float32Array;
  /** [ids.length]: log p(ids[i + 1] | …); the last is for `pad` and means nothing. */
  logprobs: Float32Array;
  /** [ids.length × embedding_dim]. */
  embeddings: Float32Array;
  /** The state after the last of `ids`. */
  state: ModelState;
  /** Stream position of the checkpoint the re-read started from (0: the empty state). */
  checkpointOffset: number;
}

// The last document's token stream per model: answering a question re-reads several passages
// of one document, and tokenizing a whole book takes about a second each time. Keyed by the
// document's SHA-256, so an id reused after a deletion cannot hit.
const lastStream = new WeakMap<Model, { sha256: string; stream: Int32Array }>();

function documentTokens(db: Db, model: Model, documentId: number): Int32Array {
  const sha256 = getDocument(db, documentId)?.sha256;
  const cached = lastStream.get(model);
  if (sha256 !== undefined && cached?.sha256 === sha256) return cached.stream;
  const { stream } = documentStream(model, loadDocumentText(db, documentId, 'an answer'));
  if (sha256 !== undefined) lastStream.set(model, { sha256, stream });
  return stream;
}

/**
 * `tokenOffset` is a stream position (0 = before BOS; see reader.ts). Calls start at the
 * checkpoint and have the reader's length, so re-reading the document's own tokens
 * reproduces the reading's outputs exactly.
 */
export async function rereadFrom(
  db: Db,
  model: Model,
  documentId: number,
  tokenOffset: number,
  ids: Int32Array,
): Promise<RereadResult> {
  const m = model.manifest;
  const reading = getReading(db, documentId, m.id);
  if (!reading) throw new Error(`document ${documentId} has not been read by ${m.id}`);
  if (!Number.isInteger(tokenOffset) || tokenOffset < 0 || tokenOffset > reading.tokensTotal) {
    throw new RangeError(`token offset ${tokenOffset} outside the document's 0…${reading.tokensTotal}`);
  }
  const checkpoint = checkpointAtOrBefore(db, documentId, m.id, tokenOffset);
  const from = checkpoint?.tokenOffset ?? 0;
  let state = checkpoint ? decodeState(m, checkpoint.state, checkpoint.dtype) : zeroState(m);

  const prefix = tokenOffset > from ? documentTokens(db, model, documentId).slice(from, tokenOffset) : new Int32Array(0);
  const sequence = new Int32Array(prefix.length + ids.length);
  sequence.set(prefix);
  sequence.set(ids, prefix.length);

  const E = m.embedding_dim;
  const relevance = new Float32Array(ids.length);
  const logprobs = new Float32Array(ids.length);
  const embeddings = new Float32Array(ids.length * E);
  for (let pos = 0; pos < sequence.length; ) {
    const len = Math.min(model.callTokens, sequence.length - pos);
    const out = await model.run({ ...callInputs(m, sequence, pos, len), validLen: len, state });
    state = out.state;
    // Copy the part of this call that covers `ids`.
    const skip = Math.max(0, prefix.length - pos);
    if (skip < len) {
      const at = pos + skip - prefix.length;
      relevance.set((out.relevance as Float32Array).subarray(skip, len), at);
      logprobs.set((out.logprobs as Float32Array).subarray(skip, len), at);
      embeddings.set((out.embeddings as Float32Array).subarray(skip * E, len * E), at * E);
    }
    pos += len;
  }
  return { relevance, logprobs, embeddings, state, checkpointOffset: from };
}
