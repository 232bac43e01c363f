// The scoring pass: bits per byte by position and each passage's mean surprisal, for a reading
// made with a model's reading graph (no vocabulary head, so none of that was computed). It runs
// the full graph over the token stream from the empty state, as the reading did, and stores
// the results in one transaction at the end: an interrupted pass leaves nothing and starts
// over (it is one read of the document, ~1.5× a reading's time, and asked for rarely).
import { Cancelled } from '../errors.js';
import type { Db } from '../store/db.js';
import { loadDocumentText, loadPassageSpans } from '../store/documents.js';
import { commitScore, getReading } from '../store/readings.js';
import { passageTokenRanges } from './passage-pooling.js';
import { callInputs, documentStream, type ReadProgress } from './reader.js';
import { addToBuckets, emptyBuckets, NotRead } from './score.js';
import type { Model } from './session.js';
import { zeroState, type ModelState } from './state.js';

export interface ScoreOptions {
  onProgress?: (p: ReadProgress) => void;
  signal?: AbortSignal;
}

const PROGRESS_INTERVAL_MS = 250;

/** Scores a finished reading unless it is scored already. */
export async function scoreDocument(db: Db, model: Model, documentId: number, options: ScoreOptions = {}): Promise<void> {
  const m = model.manifest;
  const reading = getReading(db, documentId, m.id);
  if (reading?.status !== 'done') throw new NotRead(documentId, m.id);
  if (reading.scored) return;
  if (!model.outputs.includes('logprobs')) throw new Error(`scoring needs ${m.id}'s full graph, not its reading graph`);

  const { stream, offsets } = documentStream(model, loadDocumentText(db, documentId));
  const total = stream.length;
  // logprobs[s] = log p(stream[s + 1] | stream[0..s]); the last position predicts nothing.
  const logprobs = new Float32Array(total);
  let state: ModelState = zeroState(m);
  const started = performance.now();
  let lastProgressAt = -Infinity;
  for (let pos = 0; pos < total; ) {
    if (options.signal?.aborted) throw new Cancelled();
    const len = Math.min(model.callTokens, total - pos);
    const out = await model.run({ ...callInputs(m, stream, pos, len), validLen: len, state, fetch: ['logprobs'] });
    logprobs.set((out.logprobs as Float32Array).subarray(0, len), pos);
    state = out.state;
    pos += len;
    const now = performance.now();
    if (options.onProgress && (pos === total || now - lastProgressAt >= PROGRESS_INTERVAL_MS)) {
      lastProgressAt = now;
      const rate = pos / Math.max(1e-3, (now - started) / 1000);
      options.onProgress({ tokensDone: pos, tokensTotal: total, tokensPerSecond: rate, etaSeconds: (total - pos) / rate });
    }
  }

  const buckets = emptyBuckets();
  addToBuckets(buckets, 0, total - 1, logprobs, (s) => model.tokenizer.tokenBytes(stream[s]));
  // A passage's surprisal: the logprobs that predict its own tokens, at stream positions
  // [tokenStart − 1, tokenEnd − 1) (as passage-pooling.ts counts them while reading).
  const surprisal = new Map<number, number | null>();
  for (const p of passageTokenRanges(loadPassageSpans(db, documentId), offsets)) {
    let nats = 0;
    let scored = 0;
    for (let s = Math.max(0, p.tokenStart - 1); s < Math.min(total - 1, p.tokenEnd - 1); s++) {
      nats -= logprobs[s];
      scored++;
    }
    surprisal.set(p.ordinal, scored > 0 ? nats / scored : null);
  }
  commitScore(db, { documentId, modelId: m.id, buckets, surprisal });
}
