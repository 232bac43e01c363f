// A question about a document still being read is answered at once from search and structure
// (marked partial), not after the reading it would otherwise queue behind: the app lets the user
// ask as soon as a book is added, and reading a book takes minutes on a slow machine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { LibraryService } from '../../main/engine/service.js';
import { fixture } from '../support/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'lectern-ask-reading-'));
const service = new LibraryService({ dbPath: join(dir, 'library.sqlite') });

afterAll(async () => {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

it('answers while the document is read, partial, without waiting for the reading', async () => {
  const { document } = await service.addPath(fixture('novels/pride_and_prejudice.txt'));
  let progress = 0;
  let readDone = false;
  const abort = new AbortController();
  const reading = service.read(document.id, { signal: abort.signal, onProgress: (p) => (progress = p.done) }).finally(() => (readDone = true));
  // Once the model has begun (its session is open and tokens are being read).
  while (progress === 0 && !readDone) await new Promise((r) => setTimeout(r, 50));
  const answer = await service.ask(document.id, 'Who does Elizabeth marry?');
  const answeredWhileReading = !readDone;
  abort.abort();
  await reading.catch(() => undefined);
  expect(answeredWhileReading).toBe(true);
  expect(answer.partial).toBe(true);
  expect(answer.found).toBe(true);
  expect(answer.citations.length).toBeGreaterThan(0);
}, 120_000);
