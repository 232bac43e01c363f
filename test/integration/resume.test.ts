// Kill a reading with SIGKILL part-way, read again in a fresh process: it continues from its
// last checkpoint and ends with the same state and passage vectors as an uninterrupted read.
// The child is the compiled dist/test/support/read-child.js (`npm test` builds before vitest).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDocument } from '../../main/core/reading/reader.js';
import { openModel } from '../../main/core/model/session.js';
import { decodeState, stateMaxAbsDiff } from '../../main/core/model/state.js';
import { openDb, type Db } from '../../main/core/store/db.js';
import { checkpointAtOrBefore, checkpointOffsets, getReading, loadPassageOutputs, loadScoreBuckets } from '../../main/core/store/readings.js';
import { byteModelDir, repoRoot } from '../support/fixtures.js';
import { novelDocument, storeDocument } from '../support/long-document.js';

const child = join(repoRoot, 'dist', 'test', 'support', 'read-child.js');
const CHECKPOINT_EVERY = 4096;
let tmp: string;

beforeAll(() => {
  if (!existsSync(child)) throw new Error(`${child} is missing: run \`npm run build\` first (npm test does)`);
  tmp = mkdtempSync(join(tmpdir(), 'lectern-resume-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface ChildLine {
  type: 'progress' | 'result';
  tokensDone?: number;
  tokensTotal?: number;
  resumedFrom?: number;
  tokens?: number;
}

/** Runs the child; with killAt, SIGKILLs it once progress passes that fraction. */
function runChild(dbPath: string, doc: number, killAt?: number): Promise<{ killed: boolean; last: ChildLine | null }> {
  const args = ['--db', dbPath, '--doc', String(doc), '--model', byteModelDir, '--checkpoint-every', String(CHECKPOINT_EVERY)];
  const proc = spawn(process.execPath, [child, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let last: ChildLine | null = null;
  createInterface({ input: proc.stdout }).on('line', (line) => {
    last = JSON.parse(line) as ChildLine;
    if (killAt !== undefined && last.type === 'progress' && last.tokensDone! >= killAt * last.tokensTotal!) proc.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ killed: true, last });
      else if (code === 0) resolve({ killed: false, last });
      else reject(new Error(`read-child exited with ${code ?? signal}`));
    });
  });
}

describe('resume after SIGKILL', () => {
  it('continues from the last checkpoint and matches an uninterrupted read', async () => {
    const doc = novelDocument(60_000); // ≥ 50k tokens
    const reference = openDb(join(tmp, 'reference.sqlite'));
    const refId = storeDocument(reference, doc);
    const model = await openModel(byteModelDir, 'cpu');
    const modelId = model.manifest.id;
    await readDocument(reference, model, refId, { checkpointEvery: CHECKPOINT_EVERY });

    const killedPath = join(tmp, 'killed.sqlite');
    let db: Db = openDb(killedPath);
    const id = storeDocument(db, doc);
    db.close();

    const first = await runChild(killedPath, id, 0.4);
    expect(first.killed).toBe(true);
    db = openDb(killedPath);
    const afterKill = getReading(db, id, modelId)!;
    expect(afterKill.status).toBe('reading');
    expect(afterKill.tokensDone).toBeGreaterThan(0);
    expect(afterKill.tokensDone % CHECKPOINT_EVERY).toBe(0);
    expect(checkpointOffsets(db, id, modelId).at(-1)!.tokenOffset).toBe(afterKill.tokensDone);
    db.close();

    const second = await runChild(killedPath, id);
    expect(second.killed).toBe(false);
    expect(second.last).toMatchObject({ type: 'result', resumedFrom: afterKill.tokensDone });

    db = openDb(killedPath);
    const m = model.manifest;
    const stateOf = (d: Db, docId: number): ReturnType<typeof decodeState> =>
      decodeState(m, checkpointAtOrBefore(d, docId, modelId, Infinity)!.state, 'float32');
    expect(stateMaxAbsDiff(stateOf(db, id), stateOf(reference, refId))).toBeLessThanOrEqual(1e-6);
    expect(checkpointOffsets(db, id, modelId)).toEqual(checkpointOffsets(reference, refId, modelId));

    const got = loadPassageOutputs(db, id, modelId);
    const want = loadPassageOutputs(reference, refId, modelId);
    expect(got.map((p) => [p.ordinal, p.tokenStart, p.tokenEnd])).toEqual(want.map((p) => [p.ordinal, p.tokenStart, p.tokenEnd]));
    let maxDiff = 0;
    got.forEach((p, i) => {
      maxDiff = Math.max(maxDiff, Math.abs(p.surprisal! - want[i].surprisal!));
      p.embedding.forEach((v, k) => (maxDiff = Math.max(maxDiff, Math.abs(v - want[i].embedding[k]))));
    });
    expect(maxDiff).toBeLessThanOrEqual(1e-6);
    const buckets = loadScoreBuckets(db, id, modelId);
    loadScoreBuckets(reference, refId, modelId).forEach((b, i) => {
      expect(buckets[i]).toMatchObject({ tokens: b.tokens, bytes: b.bytes });
      expect(buckets[i].nats).toBeCloseTo(b.nats, 6);
    });
    db.close();
    reference.close();
    await model.release();
  });
});
