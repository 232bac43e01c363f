// Bits per byte of the document under the model, overall and by position in the document,
// from the sums the reader stores (a long-context model should not get worse further in).
import type { Db } from '../store/db.js';
import { getReading, loadScoreBuckets, type ScoreBucket } from '../store/readings.js';
import { LecternError } from '../../../common/errors.js';

export interface ScoreResult {
  tokens: number;
  bytes: number;
  bits_per_byte: number;
  by_position: { from: number; to: number | null; bits_per_byte: number }[];
}

/** Document token positions where each bucket starts; the last one is open-ended. */
export const BUCKET_STARTS = [0, 2_048, 8_192, 32_768, 131_072] as const;

export function bucketOf(tokenIndex: number): number {
  let b = 0;
  while (b + 1 < BUCKET_STARTS.length && tokenIndex >= BUCKET_STARTS[b + 1]) b++;
  return b;
}

export function emptyBuckets(): ScoreBucket[] {
  return BUCKET_STARTS.map((from, bucket) => ({
    bucket,
    tokenFrom: from,
    tokenTo: bucket + 1 < BUCKET_STARTS.length ? BUCKET_STARTS[bucket + 1] : null,
    tokens: 0,
    bytes: 0,
    nats: 0,
  }));
}

/**
 * Adds one call's logprobs. `from` is the call's first stream position; the logprob at stream
 * position s predicts document token s (stream position s + 1). `count` positions are scored;
 * the caller leaves out padding and the stream's last position (it has no next token).
 */
export function addToBuckets(
  buckets: ScoreBucket[],
  from: number,
  count: number,
  logprobs: Float32Array,
  nextTokenBytes: (streamPos: number) => number,
): void {
  for (let i = 0; i < count; i++) {
    const s = from + i;
    const b = buckets[bucketOf(s)];
    b.tokens++;
    b.bytes += nextTokenBytes(s + 1);
    b.nats -= logprobs[i];
  }
}

export function scoreFromBuckets(buckets: readonly ScoreBucket[]): ScoreResult {
  const bpb = (nats: number, bytes: number): number => (bytes > 0 ? nats / Math.LN2 / bytes : 0);
  let tokens = 0;
  let bytes = 0;
  let nats = 0;
  for (const b of buckets) {
    tokens += b.tokens;
    bytes += b.bytes;
    nats += b.nats;
  }
  return {
    tokens,
    bytes,
    bits_per_byte: bpb(nats, bytes),
    // A bucket ends where the document does: `to` never names a token past the last one.
    by_position: buckets
      .filter((b) => b.tokens > 0)
      .map((b) => ({ from: b.tokenFrom, to: b.tokenTo === null ? null : Math.min(b.tokenTo, tokens), bits_per_byte: bpb(b.nats, b.bytes) })),
  };
}

export class NotRead extends LecternError {
  constructor(documentId: number, modelId: string) {
    super('not-read', `document ${documentId} has not been read to the end by ${modelId}`);
    this.name = 'NotRead';
  }
}

export class NotScored extends LecternError {
  constructor(documentId: number, modelId: string) {
    super('not-scored', `document ${documentId} was read by ${modelId} without scoring (Library.score runs the scoring pass)`);
    this.name = 'NotScored';
  }
}

export function scoreFromStore(db: Db, documentId: number, modelId: string): ScoreResult {
  const reading = getReading(db, documentId, modelId);
  if (reading?.status !== 'done') throw new NotRead(documentId, modelId);
  if (!reading.scored) throw new NotScored(documentId, modelId);
  return scoreFromBuckets(loadScoreBuckets(db, documentId, modelId));
}
