// The model every user gets: it loads with its hashes checked, uses its BPE tokenizer, and
// has learned English — it predicts a public-domain novel it never trained on far better than
// the untrained model of the same contract does. It reads with its reading graph (no
// vocabulary head), which must leave exactly the state and vectors the full graph leaves, and
// the scoring pass must then give exactly the sums a full-graph reading gives.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultModelDir } from '../../main/core/model/default-model.js';
import { callMultiple, loadManifest } from '../../main/core/model/manifest.js';
import { callInputs, documentStream, readDocument } from '../../main/core/reading/reader.js';
import { scoreDocument } from '../../main/core/reading/scorer.js';
import { scoreFromStore } from '../../main/core/reading/score.js';
import { openModel } from '../../main/core/model/session.js';
import { openDb } from '../../main/core/store/db.js';
import { getReading, loadPassageOutputs, loadScoreSegments } from '../../main/core/store/readings.js';
import { Cancelled } from '../../main/core/errors.js';
import { zeroState } from '../../main/core/model/state.js';
import { PassagePooler } from '../../main/core/reading/pooling.js';
import { byteModelDir } from '../support/fixtures.js';
import { novelDocument, storeDocument } from '../support/long-document.js';

const tmp = mkdtempSync(join(tmpdir(), 'lectern-default-model-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function bitsPerByte(modelDir: string, name: string): Promise<{ bpb: number; tokens: number }> {
  const db = openDb(join(tmp, `${name}.sqlite`));
  const id = storeDocument(db, novelDocument(40_000));
  const model = await openModel(modelDir, 'cpu');
  try {
    const r = await readDocument(db, model, id);
    return { bpb: r.bitsPerByte ?? Number.NaN, tokens: r.tokens };
  } finally {
    await model.release();
    db.close();
  }
}

describe('the shipped default model', () => {
  it('is a trained model whose files match their manifest hashes', () => {
    const m = loadManifest(defaultModelDir(), { verifyHashes: true });
    expect(m.trained).toBe(true);
    expect(m.tokenizer.type).toBe('bpe');
  });

  it('predicts English prose it never saw far better than the untrained model', async () => {
    const trained = await bitsPerByte(defaultModelDir(), 'trained');
    const untrained = await bitsPerByte(byteModelDir, 'untrained');
    // BPE packs several bytes into a token; the byte model has one token per byte.
    expect(trained.tokens).toBeLessThan(untrained.tokens / 2.5);
    expect(untrained.bpb).toBeGreaterThan(7);
    expect(trained.bpb).toBeLessThan(2.5);
  });

  it('has a reading graph that leaves the full graph\'s state to the bit and sums its embeddings per passage', async () => {
    const full = await openModel(defaultModelDir(), 'cpu');
    const reader = await openModel(defaultModelDir(), 'cpu', { graph: 'reader' });
    try {
      expect(full.outputs).toEqual(['logprobs', 'embeddings', 'relevance']);
      expect(reader.outputs).toEqual(['passage_sums']);
      const E = full.manifest.embedding_dim;
      const { stream } = documentStream(full, novelDocument(6_000).text);
      // Two calls, the second from the state the first left, the last one padded; passages of
      // 100 tokens with gaps of 7 between them, some running across the calls.
      const passages = Array.from({ length: 12 }, (_, i) => ({ ordinal: i, tokenStart: 1 + 107 * i, tokenEnd: 101 + 107 * i }));
      const T = full.callTokens;
      let a = zeroState(full.manifest);
      let b = zeroState(full.manifest);
      const fromFull = new PassagePooler(passages, E);
      const fromReader = new PassagePooler(passages, E);
      for (const [pos, len] of [[0, T], [T, T - 70]] as const) {
        const inputs = callInputs(full.manifest, stream, pos, len);
        const x = await full.run({ ...inputs, validLen: len, state: a, fetch: ['embeddings', 'relevance'] });
        const segments = fromReader.segments(pos, len, inputs.ids.length);
        expect(segments.of.filter((k) => k === -1).length).toBeGreaterThan(inputs.ids.length - len); // gaps and padding
        const y = await reader.run({ ...inputs, validLen: len, state: b, segments });
        expect(y.logprobs).toBeNull();
        expect(y.embeddings).toBeNull();
        fromFull.add(pos, len, null, x.embeddings!);
        fromReader.addSums(pos, len, null, y.passageSums!);
        for (let i = 0; i < full.manifest.n_layer; i++) {
          expect(Buffer.from(y.state.ssm[i].buffer).equals(Buffer.from(x.state.ssm[i].buffer))).toBe(true);
          expect(Buffer.from(y.state.conv[i].buffer).equals(Buffer.from(x.state.conv[i].buffer))).toBe(true);
        }
        a = x.state;
        b = y.state;
      }
      const want = fromFull.takeClosed();
      const got = fromReader.takeClosed();
      expect(got.map((p) => p.ordinal)).toEqual(want.map((p) => p.ordinal));
      expect(got.length).toBeGreaterThanOrEqual(8);
      let worst = 0;
      got.forEach((p, i) => p.embedding.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - want[i].embedding[k])))));
      // Unit vectors: float32 sums in the graph against float64 sums here.
      expect(worst).toBeLessThan(1e-5);
      await expect(reader.run({ ...callInputs(full.manifest, stream, 0, T), validLen: T, state: b, fetch: ['logprobs'] })).rejects.toThrow(
        /sums passages/,
      );
    } finally {
      await full.release();
      await reader.release();
    }
  });

  it('carries state in groups of sub-chunks: calls are whole groups, and one long call equals short ones', async () => {
    const m = loadManifest(defaultModelDir());
    const multiple = callMultiple(m);
    expect(multiple).toBeGreaterThan(m.subchunk);
    const short = await openModel(defaultModelDir(), 'cpu', { callTokens: multiple });
    const long = await openModel(defaultModelDir(), 'cpu', { callTokens: 4 * multiple });
    try {
      await expect(openModel(defaultModelDir(), 'cpu', { callTokens: multiple + m.subchunk })).rejects.toThrow(
        new RegExp(`must be a multiple of ${multiple}`),
      );
      const { stream } = documentStream(short, novelDocument(12_000).text);
      const len = 4 * multiple - 90; // the last call of a document: padded to whole groups
      const one = await long.run({ ...callInputs(m, stream, 0, len), validLen: len, state: zeroState(m) });
      let state = zeroState(m);
      let worstEmbedding = 0;
      for (let pos = 0; pos < len; pos += multiple) {
        const n = Math.min(multiple, len - pos);
        const out = await short.run({ ...callInputs(m, stream, pos, n), validLen: n, state });
        for (let i = 0; i < n * m.embedding_dim; i++) {
          worstEmbedding = Math.max(worstEmbedding, Math.abs(out.embeddings![i] - one.embeddings![pos * m.embedding_dim + i]));
        }
        state = out.state;
      }
      // float32 in another order: measured 5.8e-5 on embeddings of magnitude ~1, 2.6e-6 on the state
      expect(worstEmbedding).toBeLessThan(5e-4);
      let worstState = 0;
      for (let l = 0; l < m.n_layer; l++) {
        state.ssm[l].forEach((v, i) => (worstState = Math.max(worstState, Math.abs(v - one.state.ssm[l][i]))));
        state.conv[l].forEach((v, i) => (worstState = Math.max(worstState, Math.abs(v - one.state.conv[l][i]))));
      }
      expect(worstState).toBeLessThan(5e-5);
      expect(worstState).toBeGreaterThan(0); // a different sum order: not the same graph call twice
    } finally {
      await short.release();
      await long.release();
    }
  });

  it('reads unscored with the reading graph; scoring then gives what a full-graph reading stores', async () => {
    const doc = novelDocument(30_000);
    const fullDb = openDb(join(tmp, 'scored-while-reading.sqlite'));
    const readerDb = openDb(join(tmp, 'scored-afterwards.sqlite'));
    const full = await openModel(defaultModelDir(), 'cpu');
    const reader = await openModel(defaultModelDir(), 'cpu', { graph: 'reader' });
    try {
      const idFull = storeDocument(fullDb, doc);
      const idReader = storeDocument(readerDb, doc);
      const m = full.manifest;
      const whileReading = await readDocument(fullDb, full, idFull);
      // Checkpoints every 2,048 tokens: the scoring pass's segments, so it can be interrupted.
      const unscored = await readDocument(readerDb, reader, idReader, { checkpointEvery: 2_048 });
      expect(whileReading.bitsPerByte).not.toBeNull();
      expect(unscored.bitsPerByte).toBeNull();
      expect(getReading(readerDb, idReader, m.id)).toMatchObject({ status: 'done', scored: false });
      expect(() => scoreFromStore(readerDb, idReader, m.id)).toThrow(/without scoring/);
      expect(loadPassageOutputs(readerDb, idReader, m.id).every((p) => p.surprisal === null)).toBe(true);

      await expect(scoreDocument(readerDb, reader, idReader)).rejects.toThrow(/full graph/);
      // Interrupted once its second segment is kept (progress is reported at every segment's
      // end), the pass keeps what it finished...
      const stop = new AbortController();
      await expect(
        scoreDocument(readerDb, full, idReader, { signal: stop.signal, onProgress: (p) => p.tokensDone >= 4_096 && stop.abort() }),
      ).rejects.toThrow(Cancelled);
      expect(getReading(readerDb, idReader, m.id)?.scored).toBe(false);
      const kept = loadScoreSegments(readerDb, idReader, m.id);
      expect([...kept.keys()].sort((a, b) => a - b)).toEqual([0, 2_048]);
      // ...and the next pass continues from there to the same results as an uninterrupted one.
      let firstReport = -1;
      await scoreDocument(readerDb, full, idReader, { onProgress: (p) => (firstReport = firstReport < 0 ? p.tokensDone : firstReport) });
      expect(firstReport).toBeGreaterThanOrEqual(4_096);
      expect(loadScoreSegments(readerDb, idReader, m.id).size).toBe(0);
      expect(getReading(readerDb, idReader, m.id)?.scored).toBe(true);
      expect(scoreFromStore(readerDb, idReader, m.id)).toEqual(scoreFromStore(fullDb, idFull, m.id));
      const after = loadPassageOutputs(readerDb, idReader, m.id);
      const expected = loadPassageOutputs(fullDb, idFull, m.id);
      expect(after.map((p) => p.surprisal)).toEqual(expected.map((p) => p.surprisal));
      // The vectors were summed by the reading graph (float32) and here (float64): unit vectors
      // that agree to float32 rounding.
      let worst = 0;
      after.forEach((p, i) => p.embedding.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - expected[i].embedding[k])))));
      expect(worst).toBeLessThan(1e-5);
    } finally {
      await full.release();
      await reader.release();
      fullDb.close();
      readerDb.close();
    }
  });
});
