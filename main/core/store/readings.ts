// The model's reading of a document, keyed by (document_id, model_id): progress, checkpoints
// (state blobs at token offsets), per-passage outputs and bits-per-byte sums by position.
// Tables from migration 2 in schema.ts. Token offsets count the model's input stream: position 0
// is BOS, position i + 1 is the document's token i.
import type { Db } from './db.js';

export type ReadingStatus = 'reading' | 'done';
export type CheckpointDtype = 'float32' | 'float16';

export interface Reading {
  documentId: number;
  modelId: string;
  status: ReadingStatus;
  /**
   * Stream length: BOS + the document's tokens. While a reading has not yet tokenized the whole
   * text (it does so a piece at a time, reading/document-tokens.ts) this is an estimate.
   */
  tokensTotal: number;
  /** Stream positions consumed up to the last checkpoint. */
  tokensDone: number;
  /** Seconds spent reading, summed over every session that worked on it. */
  seconds: number;
  provider: string;
  /** Bits-per-byte sums and passage surprisal are stored (read with logprobs, or scored since). */
  scored: boolean;
}

export interface Checkpoint {
  tokenOffset: number;
  dtype: CheckpointDtype;
  state: Buffer;
  /** Partial sums of passages that straddle the offset (see passage-pooling.ts). */
  openPassages: Buffer;
}

export interface PassageOutput {
  ordinal: number;
  /** Stream positions of the passage's tokens: [tokenStart, tokenEnd). */
  tokenStart: number;
  tokenEnd: number;
  /** Mean surprisal of the passage's tokens, nats per token; null when it has none. */
  surprisal: number | null;
  /** Mean-pooled, L2-normalised vector head, float32 [embedding_dim]. */
  embedding: Float32Array;
}

export interface ScoreBucket {
  bucket: number;
  /** Document token positions [tokenFrom, tokenTo); tokenTo null for the open-ended last one. */
  tokenFrom: number;
  tokenTo: number | null;
  tokens: number;
  bytes: number;
  nats: number;
}

export interface ProgressCommit {
  documentId: number;
  modelId: string;
  tokensDone: number;
  done: boolean;
  /** Seconds to add to the reading's total. */
  seconds: number;
  checkpoint: Checkpoint;
  passages: PassageOutput[];
  buckets: ScoreBucket[];
}

interface ReadingRow {
  document_id: number;
  model_id: string;
  status: ReadingStatus;
  tokens_total: number;
  tokens_done: number;
  seconds: number;
  provider: string;
  scored: 0 | 1;
}

export function getReading(db: Db, documentId: number, modelId: string): Reading | null {
  const row = db
    .prepare('SELECT * FROM readings WHERE document_id = ? AND model_id = ?')
    .get(documentId, modelId) as ReadingRow | undefined;
  if (!row) return null;
  return {
    documentId: row.document_id,
    modelId: row.model_id,
    status: row.status,
    tokensTotal: row.tokens_total,
    tokensDone: row.tokens_done,
    seconds: row.seconds,
    provider: row.provider,
    scored: row.scored === 1,
  };
}

/** Starts a reading from scratch, dropping whatever an earlier one left. */
export function startReading(
  db: Db,
  r: { documentId: number; modelId: string; tokensTotal: number; provider: string; scored: boolean },
): void {
  db.transaction(() => {
    deleteReading(db, r.documentId, r.modelId);
    db.prepare(
      `INSERT INTO readings (document_id, model_id, status, tokens_total, tokens_done, seconds, provider, scored)
       VALUES (?, ?, 'reading', ?, 0, 0, ?, ?)`,
    ).run(r.documentId, r.modelId, r.tokensTotal, r.provider, r.scored ? 1 : 0);
  })();
}

/**
 * The stream's length once the reader has tokenized the whole text; until then the reading
 * holds an estimate (reading/document-tokens.ts), so that it starts without tokenizing a book.
 */
export function setTokensTotal(db: Db, documentId: number, modelId: string, tokensTotal: number): void {
  db.prepare('UPDATE readings SET tokens_total = ? WHERE document_id = ? AND model_id = ?').run(tokensTotal, documentId, modelId);
}

export function deleteReading(db: Db, documentId: number, modelId: string): void {
  // Children first, so this works whether or not foreign keys are enforced.
  for (const table of ['checkpoints', 'passage_outputs', 'score_buckets', 'score_segments', 'readings']) {
    db.prepare(`DELETE FROM ${table} WHERE document_id = ? AND model_id = ?`).run(documentId, modelId);
  }
}

/**
 * Writes a checkpoint together with everything produced since the previous one and the
 * reading's progress, in one transaction: a crash at any moment leaves a consistent prefix.
 */
export function commitProgress(db: Db, c: ProgressCommit): void {
  const key = [c.documentId, c.modelId] as const;
  db.transaction(() => {
    db.prepare(
      `INSERT OR REPLACE INTO checkpoints (document_id, model_id, token_offset, dtype, state, open_passages)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(...key, c.checkpoint.tokenOffset, c.checkpoint.dtype, c.checkpoint.state, c.checkpoint.openPassages);
    const insertPassage = db.prepare(
      `INSERT OR REPLACE INTO passage_outputs (document_id, model_id, ordinal, token_start, token_end, surprisal, embedding)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const p of c.passages) {
      insertPassage.run(...key, p.ordinal, p.tokenStart, p.tokenEnd, p.surprisal, float32Blob(p.embedding));
    }
    const upsertBucket = db.prepare(
      `INSERT OR REPLACE INTO score_buckets (document_id, model_id, bucket, token_from, token_to, tokens, bytes, nats)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const b of c.buckets) upsertBucket.run(...key, b.bucket, b.tokenFrom, b.tokenTo, b.tokens, b.bytes, b.nats);
    const changed = db
      .prepare(
        `UPDATE readings SET tokens_done = ?, status = ?, seconds = seconds + ?, updated_at = datetime('now')
         WHERE document_id = ? AND model_id = ?`,
      )
      .run(c.tokensDone, c.done ? 'done' : 'reading', c.seconds, ...key).changes;
    if (changed !== 1) throw new Error(`no reading of document ${c.documentId} by ${c.modelId} to commit to`);
  })();
}

export interface ScoreCommit {
  documentId: number;
  modelId: string;
  buckets: ScoreBucket[];
  /** Mean surprisal per passage ordinal (null: the passage has no scored token). */
  surprisal: Map<number, number | null>;
}

/** Logprobs of one finished segment of a scoring pass, from stream position `tokenOffset`. */
export function saveScoreSegment(db: Db, documentId: number, modelId: string, tokenOffset: number, logprobs: Float32Array): void {
  db.prepare('INSERT OR REPLACE INTO score_segments (document_id, model_id, token_offset, logprobs) VALUES (?, ?, ?, ?)').run(
    documentId,
    modelId,
    tokenOffset,
    float32Blob(logprobs),
  );
}

export function loadScoreSegments(db: Db, documentId: number, modelId: string): Map<number, Float32Array> {
  const rows = db
    .prepare('SELECT token_offset, logprobs FROM score_segments WHERE document_id = ? AND model_id = ?')
    .all(documentId, modelId) as { token_offset: number; logprobs: Buffer }[];
  return new Map(rows.map((r) => [r.token_offset, float32FromBlob(r.logprobs)]));
}

/** Stores a scoring pass's results over a finished reading, and marks it scored, at once. */
export function commitScore(db: Db, c: ScoreCommit): void {
  const key = [c.documentId, c.modelId] as const;
  db.transaction(() => {
    db.prepare('DELETE FROM score_buckets WHERE document_id = ? AND model_id = ?').run(...key);
    const insertBucket = db.prepare(
      `INSERT INTO score_buckets (document_id, model_id, bucket, token_from, token_to, tokens, bytes, nats)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const b of c.buckets) insertBucket.run(...key, b.bucket, b.tokenFrom, b.tokenTo, b.tokens, b.bytes, b.nats);
    const setSurprisal = db.prepare('UPDATE passage_outputs SET surprisal = ? WHERE document_id = ? AND model_id = ? AND ordinal = ?');
    for (const [ordinal, value] of c.surprisal) setSurprisal.run(value, ...key, ordinal);
    db.prepare('DELETE FROM score_segments WHERE document_id = ? AND model_id = ?').run(...key);
    const changed = db
      .prepare(`UPDATE readings SET scored = 1, updated_at = datetime('now') WHERE document_id = ? AND model_id = ? AND status = 'done'`)
      .run(...key).changes;
    if (changed !== 1) throw new Error(`no finished reading of document ${c.documentId} by ${c.modelId} to score`);
  })();
}

interface CheckpointRow {
  token_offset: number;
  dtype: CheckpointDtype;
  state: Buffer;
  open_passages: Buffer;
}

function toCheckpoint(row: CheckpointRow | undefined): Checkpoint | null {
  if (!row) return null;
  return { tokenOffset: row.token_offset, dtype: row.dtype, state: row.state, openPassages: row.open_passages };
}

/** The checkpoint with the largest offset ≤ tokenOffset (Infinity: the last one). */
export function checkpointAtOrBefore(db: Db, documentId: number, modelId: string, tokenOffset: number): Checkpoint | null {
  const row = db
    .prepare(
      `SELECT token_offset, dtype, state, open_passages FROM checkpoints
       WHERE document_id = ? AND model_id = ? AND token_offset <= ?
       ORDER BY token_offset DESC LIMIT 1`,
    )
    .get(documentId, modelId, Number.isFinite(tokenOffset) ? tokenOffset : Number.MAX_SAFE_INTEGER) as CheckpointRow | undefined;
  return toCheckpoint(row);
}

export function checkpointOffsets(db: Db, documentId: number, modelId: string): { tokenOffset: number; bytes: number }[] {
  return (
    db
      .prepare(
        `SELECT token_offset, length(state) AS bytes FROM checkpoints
         WHERE document_id = ? AND model_id = ? ORDER BY token_offset`,
      )
      .all(documentId, modelId) as { token_offset: number; bytes: number }[]
  ).map((r) => ({ tokenOffset: r.token_offset, bytes: r.bytes }));
}

interface PassageOutputRow {
  ordinal: number;
  token_start: number;
  token_end: number;
  surprisal: number | null;
  embedding: Buffer;
}

/** Per-passage outputs in passage order (the answering code's vectors). */
export function loadPassageOutputs(db: Db, documentId: number, modelId: string): PassageOutput[] {
  const rows = db
    .prepare(
      `SELECT ordinal, token_start, token_end, surprisal, embedding FROM passage_outputs
       WHERE document_id = ? AND model_id = ? ORDER BY ordinal`,
    )
    .all(documentId, modelId) as PassageOutputRow[];
  return rows.map((r) => ({
    ordinal: r.ordinal,
    tokenStart: r.token_start,
    tokenEnd: r.token_end,
    surprisal: r.surprisal,
    embedding: float32FromBlob(r.embedding),
  }));
}

interface ScoreBucketRow {
  bucket: number;
  token_from: number;
  token_to: number | null;
  tokens: number;
  bytes: number;
  nats: number;
}

export function loadScoreBuckets(db: Db, documentId: number, modelId: string): ScoreBucket[] {
  const rows = db
    .prepare(
      `SELECT bucket, token_from, token_to, tokens, bytes, nats FROM score_buckets
       WHERE document_id = ? AND model_id = ? ORDER BY bucket`,
    )
    .all(documentId, modelId) as ScoreBucketRow[];
  return rows.map((r) => ({
    bucket: r.bucket,
    tokenFrom: r.token_from,
    tokenTo: r.token_to,
    tokens: r.tokens,
    bytes: r.bytes,
    nats: r.nats,
  }));
}

function float32Blob(a: Float32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

function float32FromBlob(b: Uint8Array): Float32Array {
  const copy = new Uint8Array(b.byteLength);
  copy.set(b);
  return new Float32Array(copy.buffer);
}
