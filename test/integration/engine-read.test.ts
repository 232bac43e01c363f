// The reader on the bundled random model: real onnxruntime sessions, real SQLite files.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentStream, readDocument } from '../../main/core/reading/reader.js';
import { rereadFrom } from '../../main/core/reading/rereader.js';
import { scoreFromStore } from '../../main/core/reading/score.js';
import { DeviceError, openModel, type Model } from '../../main/core/model/session.js';
import { decodeState, stateMaxAbsDiff, zeroState } from '../../main/core/model/state.js';
import { openDb, type Db } from '../../main/core/store/db.js';
import { loadDocument, loadPassageSpans } from '../../main/core/store/documents.js';
import { passageTokenRanges } from '../../main/core/reading/pooling.js';
import type { Tokenizer } from '../../main/core/model/tokenizer/tokenizer.js';
import {
  checkpointAtOrBefore,
  checkpointOffsets,
  getReading,
  loadPassageOutputs,
  type PassageOutput,
} from '../../main/core/store/readings.js';
import { byteModelDir } from '../support/fixtures.js';
import { novelDocument, storeDocument } from '../support/long-document.js';

const modelDir = byteModelDir;
let tmp: string;
let model256: Model;
let model1024: Model;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'lectern-engine-'));
  model256 = await openModel(modelDir, 'cpu', { callTokens: 256 });
  model1024 = await openModel(modelDir, 'cpu', { callTokens: 1024 });
});

afterAll(async () => {
  await model256?.release();
  await model1024?.release();
  rmSync(tmp, { recursive: true, force: true });
});

function freshDb(name: string): Db {
  return openDb(join(tmp, `${name}.sqlite`));
}

function finalState(db: Db, model: Model, id: number): ReturnType<typeof decodeState> {
  const c = checkpointAtOrBefore(db, id, model.manifest.id, Infinity);
  if (!c) throw new Error('no checkpoint');
  return decodeState(model.manifest, c.state, c.dtype);
}

function maxVectorDiff(a: PassageOutput[], b: PassageOutput[]): number {
  expect(a.map((p) => p.ordinal)).toEqual(b.map((p) => p.ordinal));
  let max = 0;
  a.forEach((p, i) => {
    p.embedding.forEach((v, k) => (max = Math.max(max, Math.abs(v - b[i].embedding[k]))));
    max = Math.max(max, Math.abs((p.surprisal ?? 0) - (b[i].surprisal ?? 0)));
  });
  return max;
}

describe('readDocument', () => {
  // 9,000 bytes: not a multiple of any call length, so the last call is padded.
  const doc = novelDocument(9_000);

  it('gives the same state and passage vectors for calls of 256 and 1024 tokens', async () => {
    const a = freshDb('chunk-256');
    const b = freshDb('chunk-1024');
    const idA = storeDocument(a, doc);
    const idB = storeDocument(b, doc);
    const ra = await readDocument(a, model256, idA);
    const rb = await readDocument(b, model1024, idB);
    expect(ra.tokens).toBe(Buffer.byteLength(doc.text) + 1);
    expect(ra.tokens % 256).not.toBe(0);
    expect(stateMaxAbsDiff(finalState(a, model256, idA), finalState(b, model1024, idB))).toBeLessThan(1e-5);
    const pa = loadPassageOutputs(a, idA, model256.manifest.id);
    expect(pa.length).toBeGreaterThan(3);
    expect(maxVectorDiff(pa, loadPassageOutputs(b, idB, model1024.manifest.id))).toBeLessThan(1e-5);
    for (const p of pa) expect(Math.hypot(...p.embedding)).toBeCloseTo(1, 5);
    expect(ra.bitsPerByte).toBeCloseTo(rb.bitsPerByte ?? Number.NaN, 4);
    a.close();
    b.close();
  });

  it('writes a checkpoint every K tokens and one at the end, and a second read is cached', async () => {
    const db = freshDb('checkpoints');
    const id = storeDocument(db, doc);
    const r = await readDocument(db, model256, id, { checkpointEvery: 1000 }); // → 1024
    const offsets = checkpointOffsets(db, id, model256.manifest.id);
    expect(offsets.map((c) => c.tokenOffset)).toEqual([...[1, 2, 3, 4, 5, 6, 7, 8].map((i) => i * 1024), r.tokens]);
    const m = model256.manifest;
    expect(offsets[0].bytes).toBe(4 * m.n_layer * (m.conv_dim * (m.d_conv - 1) + m.nheads * m.headdim * m.d_state));
    expect(getReading(db, id, m.id)).toMatchObject({ status: 'done', tokensDone: r.tokens, tokensTotal: r.tokens });
    const again = await readDocument(db, model256, id);
    expect(again).toMatchObject({ resumedFrom: r.tokens, seconds: 0, bitsPerByte: r.bitsPerByte });
    db.close();
  });

  it('re-reads from a checkpoint: the document’s own next tokens reproduce the stored state and vectors', async () => {
    const db = freshDb('reread');
    const id = storeDocument(db, doc);
    await readDocument(db, model256, id, { checkpointEvery: 2048 });
    const m = model256.manifest;
    const { stream } = documentStream(model256, loadDocument(db, id).text);
    const from = 2048;
    const to = 6144;
    const out = await rereadFrom(db, model256, id, from, stream.slice(from, to));
    expect(out.checkpointOffset).toBe(from);
    expect(stateMaxAbsDiff(out.state, decodeState(m, checkpointAtOrBefore(db, id, m.id, to)!.state, 'float32'))).toBe(0);

    // A passage inside [from, to): pool its vectors from the re-read's embeddings.
    const stored = loadPassageOutputs(db, id, m.id).find((p) => p.tokenStart >= from && p.tokenEnd <= to)!;
    const E = m.embedding_dim;
    const sum = new Float64Array(E);
    for (let s = stored.tokenStart; s < stored.tokenEnd; s++) for (let k = 0; k < E; k++) sum[k] += out.embeddings[(s - from) * E + k];
    const norm = Math.hypot(...sum);
    stored.embedding.forEach((v, k) => expect(Math.abs(v - sum[k] / norm)).toBeLessThan(1e-6));
    let nats = 0;
    for (let s = stored.tokenStart - 1; s < stored.tokenEnd - 1; s++) nats -= out.logprobs[s - from];
    expect(Math.abs(nats / (stored.tokenEnd - stored.tokenStart) - stored.surprisal!)).toBeLessThan(1e-6);

    // From a point between checkpoints: the document up to it is replayed first.
    const mid = await rereadFrom(db, model256, id, 5000, stream.slice(5000, to));
    expect(mid.checkpointOffset).toBe(4096);
    expect(stateMaxAbsDiff(mid.state, out.state)).toBeLessThan(1e-5);
    expect(mid.relevance.length).toBe(to - 5000);
    db.close();
  });

  it('reports progress before it has tokenized the whole text, and a read in pieces equals one from the store whole', async () => {
    // A book of 30 KB in pieces of 4,000 characters, with a tokenizer that counts what it was given.
    const long = novelDocument(30_000);
    const pieceChars = 4_000;
    const db = freshDb('pieces');
    const id = storeDocument(db, long);
    let encoded = 0;
    const counting: Tokenizer = {
      encode: (text, lead) => {
        encoded += text.length;
        return model1024.tokenizer.encode(text, lead);
      },
      decode: (ids) => model1024.tokenizer.decode(ids),
      vocabSize: model1024.tokenizer.vocabSize,
      tokenBytes: (tokenId) => model1024.tokenizer.tokenBytes(tokenId),
    };
    const model = Object.create(model1024, { tokenizer: { value: counting } }) as Model;
    const stop = new AbortController();
    let encodedAtFirstProgress: number | null = null;
    const read = readDocument(db, model, id, {
      pieceChars,
      signal: stop.signal,
      onProgress: (p) => {
        encodedAtFirstProgress ??= encoded;
        if (p.tokensDone > 0) stop.abort();
      },
    });
    await expect(read).rejects.toThrow();
    expect(encodedAtFirstProgress).not.toBeNull();
    expect(encodedAtFirstProgress).toBeLessThan(long.text.length / 2);
    // The estimate the reading started with is in the store until the text is all tokenized.
    expect(getReading(db, id, model1024.manifest.id)?.status).toBe('reading');
    // Resumed and finished, it has the whole stream's tokens and every passage, as the tokens of
    // the whole text map them.
    const done = await readDocument(db, model1024, id, { pieceChars });
    const { stream } = documentStream(model1024, long.text);
    expect(done.tokens).toBe(stream.length);
    expect(getReading(db, id, model1024.manifest.id)).toMatchObject({ status: 'done', tokensTotal: stream.length });
    const outputs = loadPassageOutputs(db, id, model1024.manifest.id);
    const expected = passageTokenRanges(loadPassageSpans(db, id), model1024.tokenizer.encode(long.text).offsets);
    expect(outputs.map(({ ordinal, tokenStart, tokenEnd }) => ({ ordinal, tokenStart, tokenEnd }))).toEqual(
      [...expected].sort((a, b) => a.ordinal - b.ordinal),
    );
    db.close();
  }, 120_000);

  it('scores bits per byte by position from the stored sums', async () => {
    const db = freshDb('score');
    const id = storeDocument(db, doc);
    const r = await readDocument(db, model1024, id);
    const score = scoreFromStore(db, id, model1024.manifest.id);
    expect(score.tokens).toBe(r.tokens - 1);
    expect(score.bytes).toBe(Buffer.byteLength(doc.text));
    expect(score.by_position.map((b) => [b.from, b.to])).toEqual([
      [0, 2048],
      [2048, 8192],
      // The last bucket ends with the document.
      [8192, score.tokens],
    ]);
    expect(score.tokens).toBeLessThan(32768);
    // An untrained byte model is close to uniform over its 260 ids: about 8 bits per byte.
    expect(score.bits_per_byte).toBeGreaterThan(6);
    expect(score.bits_per_byte).toBeLessThan(10);
    expect(score.bits_per_byte).toBeCloseTo(r.bitsPerByte ?? Number.NaN, 10);
    expect(() => scoreFromStore(db, id, 'another-model')).toThrow(/has not been read/);
    db.close();
  });
});

describe('openModel', () => {
  it('auto falls back to the CPU on this machine and says why, quickly', async () => {
    const t0 = performance.now();
    const model = await openModel(modelDir, 'auto');
    const ms = performance.now() - t0;
    try {
      expect(model.device.provider).toBe('cpu');
      expect(model.device.requested).toBe('auto');
      expect(model.device.fallbackReason).toMatch(/webgpu: /);
      expect(model.callTokens).toBe(model.manifest.call_tokens.cpu);
      expect(ms).toBeLessThan(5_000);
    } finally {
      await model.release();
    }
  });

  it('gpu fails with the reason of each provider', async () => {
    await expect(openModel(modelDir, 'gpu')).rejects.toThrow(DeviceError);
    await expect(openModel(modelDir, 'gpu')).rejects.toThrow(/no GPU execution provider works here \(webgpu: /);
  });

  it('writes the state into the arrays it is given, the same values as its own', async () => {
    const m = model256.manifest;
    const ids = new Int32Array(256).map((_, i) => (i * 37) % 256);
    const call = { ids, targets: ids, validLen: 200, fetch: ['logprobs'] as const };
    const from = (await model256.run({ ...call, state: zeroState(m) })).state;
    const own = await model256.run({ ...call, state: from });
    const into = zeroState(m);
    into.ssm.forEach((a) => a.fill(Number.NaN));
    const given = await model256.run({ ...call, state: from, stateInto: into });
    expect(given.state).toBe(into);
    expect(stateMaxAbsDiff(given.state, own.state)).toBe(0);
    expect(stateMaxAbsDiff(into, zeroState(m))).toBeGreaterThan(0);
    await expect(model256.run({ ...call, state: from, stateInto: { conv: into.conv, ssm: [...from.ssm] } })).rejects.toThrow(/must not share/);
  });

  it('runs one call at a time, in the order they were started', async () => {
    const m = model256.manifest;
    const call = (T: number): Parameters<Model['run']>[0] => {
      const ids = new Int32Array(T).fill(m.specials.bos);
      return { ids, targets: ids, validLen: T, state: zeroState(m), fetch: ['logprobs'] };
    };
    const finished: string[] = [];
    // Without the queue the short call would overtake the long one.
    await Promise.all([
      model256.run(call(4096)).then(() => finished.push('long')),
      model256.run(call(128)).then(() => finished.push('short')),
    ]);
    expect(finished).toEqual(['long', 'short']);
  });
});
