// The scoring pass: bits per byte by position and each passage's mean surprisal, for a reading
// made with a model's reading graph (no vocabulary head, so none of that was computed). It runs
// the full graph segment by segment, each from one of the reading's checkpoints to the next (so
// with the states and call boundaries the reading had), keeps every finished segment's
// logprobs, and stores the results in one transaction at the end. An interrupted pass
// continues from its finished segments.
import { cancelledBy } from '../errors.js';
import type { Db } from '../store/db.js';
import { checkpointAtOrBefore, checkpointOffsets, commitScore, getReading, loadScoreSegments, saveScoreSegment } from '../store/readings.js';
import { callInputs, progressReporter, streamAndPassages, type ReadProgress } from './reader.js';
import { addToBuckets, emptyBuckets, NotRead } from './score.js';
import type { Model } from '../model/session.js';
import { decodeState, zeroState, type ModelState } from '../model/state.js';

export interface ScoreOptions {
  onProgress?: (p: ReadProgress) => void;
  signal?: AbortSignal;
}

/** Scores a finished reading unless it is scored already. */
export async function scoreDocument(db: Db, model: Model, documentId: number, options: ScoreOptions = {}): Promise<void> {
  const m = model.manifest;
  const reading = getReading(db, documentId, m.id);
  if (reading?.status !== 'done') throw new NotRead(documentId, m.id);
  if (reading.scored) return;
  if (!model.outputs.includes('logprobs')) throw new Error(`scoring needs ${m.id}'s full graph, not its reading graph`);

  const { stream, passages } = streamAndPassages(db, model, documentId);
  const total = stream.length;
  // logprobs[s] = log p(stream[s + 1] | stream[0..s]); the last position predicts nothing.
  const logprobs = new Float32Array(total);
  const starts = [0, ...checkpointOffsets(db, documentId, m.id).map((c) => c.tokenOffset).filter((o) => o > 0 && o < total)];
  const segments = starts.map((from, i) => ({ from, to: i + 1 < starts.length ? starts[i + 1] : total }));
  // Segments an interrupted pass finished are taken as they are.
  const finished = loadScoreSegments(db, documentId, m.id);
  let done = 0;
  const todo = segments.filter(({ from, to }) => {
    const saved = finished.get(from);
    if (saved?.length !== to - from) return true;
    logprobs.set(saved, from);
    done += to - from;
    return false;
  });
  const report = progressReporter(options.onProgress, total, done);
  for (const { from, to } of todo) {
    const checkpoint = from > 0 ? checkpointAtOrBefore(db, documentId, m.id, from) : null;
    if (from > 0 && checkpoint?.tokenOffset !== from) throw new Error(`the reading of document ${documentId} lost its checkpoint at ${from}`);
    let state: ModelState = checkpoint ? decodeState(m, checkpoint.state, checkpoint.dtype) : zeroState(m);
    let spare = zeroState(m);
    for (let pos = from; pos < to; ) {
      if (options.signal?.aborted) throw cancelledBy(options.signal);
      const len = Math.min(model.callTokens, to - pos);
      const out = await model.run({ ...callInputs(m, stream, pos, len), validLen: len, state, stateInto: spare, fetch: ['logprobs'] });
      logprobs.set((out.logprobs as Float32Array).subarray(0, len), pos);
      spare = state;
      state = out.state;
      pos += len;
      report(done + pos - from, false);
    }
    saveScoreSegment(db, documentId, m.id, from, logprobs.subarray(from, to));
    done += to - from;
    // Always said once a segment is kept: what an interruption from here on would not lose.
    report(done, true);
  }

  const buckets = emptyBuckets();
  addToBuckets(buckets, 0, total - 1, logprobs, (s) => model.tokenizer.tokenBytes(stream[s]));
  // A passage's surprisal: the logprobs that predict its own tokens, at stream positions
  // [tokenStart − 1, tokenEnd − 1) (as passage-pooling.ts counts them while reading).
  const surprisal = new Map<number, number | null>();
  for (const p of passages) {
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
