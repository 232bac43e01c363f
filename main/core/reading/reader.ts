// One pass of the model over a document: the token stream goes through the graph in calls of
// `callTokens`, carrying the state; per passage it keeps the pooled vector and, when the graph
// computes logprobs, the mean surprisal and the per-bucket bits-per-byte sums; every K tokens
// it writes a checkpoint together with all of that in one transaction. A reading that was
// interrupted (killed, cancelled) continues from its last checkpoint. A model's reading graph
// (manifest `reader_graph`) has no vocabulary head, so the reading is unscored (scorer.ts adds
// the surprisal when it is asked for), and sums each passage's embeddings itself: the reader
// hands it the call's passages as segments and gets one sum per segment back.
//
// The stream is BOS followed by the document's tokens; every token count and offset here
// (progress, checkpoints, ReadResult.tokens) is in stream positions.
import { cancelledBy } from '../errors.js';
import { checkpointSpacing, DEFAULT_CHECKPOINT_TOKENS } from './checkpoint-spacing.js';
import type { Db } from '../store/db.js';
import { loadDocumentText, loadPassageSpans, storedText } from '../store/documents.js';
import {
  checkpointAtOrBefore,
  commitProgress,
  getReading,
  loadScoreBuckets,
  setTokensTotal,
  startReading,
  type ScoreBucket,
} from '../store/readings.js';
import { DocumentTokens } from './document-tokens.js';
import { PassagePooler, passageTokenRanges, type PassageTokens } from './pooling.js';
import { addToBuckets, emptyBuckets, scoreFromBuckets } from './score.js';
import { callMultiple, type ModelManifest } from '../model/manifest.js';
import type { DeviceReport, Model } from '../model/session.js';
import { decodeState, encodeState, zeroState, type ModelState } from '../model/state.js';

export interface ReadProgress {
  tokensDone: number;
  tokensTotal: number;
  tokensPerSecond: number;
  etaSeconds: number | null;
}

export interface ReadResult {
  documentId: number;
  modelId: string;
  /** Stream tokens (BOS + the document's tokens). */
  tokens: number;
  /** Stream position this session started from: 0 for a fresh read, tokens for a cached one. */
  resumedFrom: number;
  /** Seconds this session spent reading (0 when the reading was already complete). */
  seconds: number;
  tokensPerSecond: number;
  device: DeviceReport;
  /** null when the reading graph computed no logprobs and no scoring pass has run yet. */
  bitsPerByte: number | null;
}

export interface ReadOptions {
  onProgress?: (p: ReadProgress) => void;
  signal?: AbortSignal;
  /** Tokens between checkpoints (default: checkpointSpacing); rounded up to a multiple of the model's call length. */
  checkpointEvery?: number;
  /** Characters of text tokenized at a time (default PIECE_CHARS; tests use small pieces on short texts). */
  pieceChars?: number;
  /** Filled with where the reading loop's time went (benchmarks). */
  stages?: ReadStages;
}

/** Milliseconds of a reading loop by stage. */
export interface ReadStages {
  /** The document's text to its token stream and passage token ranges, a piece at a time as the calls need it. */
  tokenizeMs: number;
  /** The session's first call, which on a GPU also compiles every shader. */
  firstCallMs: number;
  /** Every other call of the graph: inputs in, the run, outputs back. */
  callsMs: number;
  /** Passage vectors (and surprisal, when scored) from each call's outputs. */
  poolingMs: number;
  /** Checkpoints with their passages and sums, written to the store. */
  commitsMs: number;
}

export function emptyStages(): ReadStages {
  return { tokenizeMs: 0, firstCallMs: 0, callsMs: 0, poolingMs: 0, commitsMs: 0 };
}

export { DEFAULT_CHECKPOINT_TOKENS } from './checkpoint-spacing.js';

const PROGRESS_INTERVAL_MS = 250;

/** The model's input stream for a document: BOS, then the text's tokens. */
export function documentStream(model: Model, text: string): { stream: Int32Array; offsets: Int32Array } {
  const { ids: stream, offsets } = model.tokenizer.encode(text, 1);
  stream[0] = model.manifest.specials.bos;
  return { stream, offsets };
}

/**
 * Inputs for one call over positions [pos, pos + len) of a token sequence: the ids and the
 * token after each (pad past the sequence's end), padded to what the graph takes (callMultiple).
 */
export function callInputs(m: ModelManifest, sequence: Int32Array, pos: number, len: number): { ids: Int32Array; targets: Int32Array } {
  const T = Math.ceil(len / callMultiple(m)) * callMultiple(m);
  const ids = new Int32Array(T).fill(m.specials.pad);
  ids.set(sequence.subarray(pos, pos + len));
  const targets = new Int32Array(T).fill(m.specials.pad);
  targets.set(sequence.subarray(pos + 1, pos + len + 1));
  return { ids, targets };
}

/**
 * A stored document's token stream and its passages' token ranges. Only these are kept: the
 * text and the token offsets (tens of MB for a long book) can go before the model runs.
 */
export function streamAndPassages(db: Db, model: Model, documentId: number): { stream: Int32Array; passages: PassageTokens[] } {
  const { stream, offsets } = documentStream(model, loadDocumentText(db, documentId, 'scoring'));
  return { stream, passages: passageTokenRanges(loadPassageSpans(db, documentId), offsets) };
}

/**
 * Progress events for a pass over `totalOf` stream positions (a function while the total is
 * still an estimate), at most every 250 ms unless forced; the rate counts what this session did
 * beyond `from` (what an earlier one left).
 */
export function progressReporter(
  onProgress: ((p: ReadProgress) => void) | undefined,
  totalOf: number | (() => number),
  from: number,
): (at: number, force: boolean) => void {
  const started = performance.now();
  let lastAt = -Infinity;
  return (at, force) => {
    if (!onProgress) return;
    const now = performance.now();
    if (!force && now - lastAt < PROGRESS_INTERVAL_MS) return;
    lastAt = now;
    const rate = (at - from) / Math.max(1e-3, (now - started) / 1000);
    const total = typeof totalOf === 'number' ? totalOf : totalOf();
    onProgress({ tokensDone: at, tokensTotal: total, tokensPerSecond: rate, etaSeconds: rate > 0 ? (total - at) / rate : null });
  };
}

export function checkpointInterval(model: Model, requested = DEFAULT_CHECKPOINT_TOKENS): number {
  return Math.max(1, Math.ceil(requested / model.callTokens)) * model.callTokens;
}

export async function readDocument(db: Db, model: Model, documentId: number, options: ReadOptions = {}): Promise<ReadResult> {
  const m = model.manifest;
  const stages = options.stages ?? emptyStages();
  const scoring = model.outputs.includes('logprobs');
  // The reading graph sums each passage's embeddings itself: a few KB back instead of T × 256.
  const pooling = model.outputs.includes('passage_sums');
  const resultOf = (total: number, resumedFrom: number, seconds: number, buckets: ScoreBucket[] | null): ReadResult => ({
    documentId,
    modelId: m.id,
    tokens: total,
    resumedFrom,
    seconds,
    tokensPerSecond: seconds > 0 ? (total - resumedFrom) / seconds : 0,
    device: model.device,
    bitsPerByte: buckets ? scoreFromBuckets(buckets).bits_per_byte : null,
  });

  const previous = getReading(db, documentId, m.id);
  // A finished reading is taken as it is: a document's text never changes, and tokenizing a book
  // again only to count its tokens took tens of seconds.
  if (previous?.status === 'done') {
    return resultOf(previous.tokensTotal, previous.tokensTotal, 0, previous.scored ? loadScoreBuckets(db, documentId, m.id) : null);
  }

  const tokens = new DocumentTokens(model.tokenizer, m.specials.bos, storedText(db, documentId), loadPassageSpans(db, documentId), options.pieceChars);
  // What the reading row says until the text is all tokenized; the spacing depends only on it, so
  // a resumed reading keeps it.
  const estimate = tokens.estimatedTotal();
  const pooler = new PassagePooler(tokens.passages, m.embedding_dim);
  let pos = 0;
  let state: ModelState = zeroState(m);
  // The other half of the pair each call reads from and writes to (ChunkInputs.stateInto).
  let spare: ModelState = zeroState(m);
  let buckets = emptyBuckets();
  // A reading continues only with a graph like the one it started with: the bucket sums and
  // surprisal of a scored reading must cover every token.
  const resumable = previous !== null && previous.scored === scoring;
  const checkpoint = resumable ? checkpointAtOrBefore(db, documentId, m.id, Infinity) : null;
  const K = checkpointInterval(model, options.checkpointEvery ?? checkpointSpacing(estimate));
  const started = performance.now();
  const report = progressReporter(options.onProgress, () => tokens.estimatedTotal(), checkpoint?.tokenOffset ?? 0);
  report(checkpoint?.tokenOffset ?? 0, true);
  const tokenize = (need: number, at: number): void => {
    const t = performance.now();
    tokens.ensure(need, () => report(at, false));
    stages.tokenizeMs += performance.now() - t;
  };
  if (checkpoint) {
    pos = checkpoint.tokenOffset;
    // The tokens before the checkpoint are only passed over, a piece at a time.
    tokens.release(pos);
    tokenize(pos + 1, pos);
    state = decodeState(m, checkpoint.state, checkpoint.dtype);
    pooler.restore(pos, checkpoint.openPassages);
    buckets = loadScoreBuckets(db, documentId, m.id);
  } else {
    // Nothing to continue from: start afresh.
    startReading(db, { documentId, modelId: m.id, tokensTotal: estimate, provider: model.device.provider, scored: scoring });
  }
  const resumedFrom = pos;
  let lastCommitAt = started;
  let committedPos = pos;
  let totalStored = false;

  const commit = (): void => {
    const now = performance.now();
    commitProgress(db, {
      documentId,
      modelId: m.id,
      tokensDone: pos,
      done: tokens.done && pos === tokens.available,
      seconds: (now - lastCommitAt) / 1000,
      checkpoint: { tokenOffset: pos, dtype: 'float32', state: encodeState(state, 'float32'), openPassages: pooler.encodeOpen() },
      passages: pooler.takeClosed(),
      buckets,
    });
    lastCommitAt = now;
    committedPos = pos;
  };

  let calls = 0;
  for (;;) {
    // One more than the call takes: the target of its last position.
    tokenize(pos + Math.min(model.callTokens, K) + 1, pos);
    const total = tokens.done ? tokens.available : Infinity;
    if (tokens.done && !totalStored) {
      if (checkpoint && previous !== null && previous.tokensTotal !== estimate && previous.tokensTotal !== total) {
        // The tokens changed under the same model id (its tokenizer was replaced): the
        // checkpoints belong to another stream, so the reading starts afresh.
        startReading(db, { documentId, modelId: m.id, tokensTotal: estimate, provider: model.device.provider, scored: scoring });
        return readDocument(db, model, documentId, options);
      }
      // The stream's true length, known once the text is all tokenized.
      setTokensTotal(db, documentId, m.id, total);
      totalStored = true;
    }
    if (pos >= total) break;
    if (options.signal?.aborted) {
      // Keep what this session did: the next read continues from here.
      if (pos > committedPos) commit();
      throw cancelledBy(options.signal);
    }
    const len = Math.min(model.callTokens, (Math.floor(pos / K) + 1) * K - pos, total - pos);
    let t = performance.now();
    const inputs = callInputs(m, tokens.window(pos, pos + len + 1), 0, len);
    const segments = pooling ? pooler.segments(pos, len, inputs.ids.length) : undefined;
    const out = await model.run({
      ...inputs,
      validLen: len,
      state,
      stateInto: spare,
      segments,
      fetch: pooling ? ['passage_sums'] : scoring ? ['logprobs', 'embeddings'] : ['embeddings'],
    });
    stages[calls++ === 0 ? 'firstCallMs' : 'callsMs'] += performance.now() - t;
    t = performance.now();
    // The stream's last position predicts nothing.
    if (out.logprobs) addToBuckets(buckets, pos, pos + len === total ? len - 1 : len, out.logprobs, (s) => model.tokenizer.tokenBytes(tokens.id(s)));
    if (out.passageSums) pooler.addSums(pos, len, out.logprobs, out.passageSums);
    else pooler.add(pos, len, out.logprobs, out.embeddings as Float32Array);
    spare = state;
    state = out.state;
    pos += len;
    tokens.release(pos);
    stages.poolingMs += performance.now() - t;
    if (pos % K === 0 || pos === total) {
      t = performance.now();
      commit();
      stages.commitsMs += performance.now() - t;
    }
    report(pos, pos === total);
  }
  return resultOf(tokens.available, resumedFrom, (performance.now() - started) / 1000, scoring ? buckets : null);
}
