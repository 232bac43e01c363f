// LecternApi over a message port, as the Electron main process talks to the engine's
// utilityProcess: here over Node's MessageChannel, on a real library file.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { LecternError } from '../../common/errors.js';
import type { Progress } from '../../common/types.js';
import { connectApi, serveApi, type PortLike } from '../../main/transport/port-rpc.js';
import { LibraryService } from '../../main/engine/service.js';
import { fixture } from '../support/fixtures.js';

/** Node's ports deliver the message itself; Electron's deliver { data }. */
function electronLike(port: MessagePort): PortLike {
  return { postMessage: (m) => port.postMessage(m), on: (_e, l) => port.on('message', (data: unknown) => l({ data })) };
}

const dir = mkdtempSync(join(tmpdir(), 'lectern-rpc-'));
const engine = new LibraryService({ dbPath: join(dir, 'library.sqlite') });
const channel = new MessageChannel();
serveApi(electronLike(channel.port2), engine);
const api = connectApi(electronLike(channel.port1));
afterAll(async () => {
  channel.port1.close();
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('LecternApi over a message port', () => {
  it('adds bytes with progress, lists, searches and reads text back', async () => {
    const seen: Progress[] = [];
    const bytes = new Uint8Array(readFileSync(fixture('contracts/series-seed-term-sheet.md')));
    const added = await api.addBytes('term-sheet.md', bytes, { onProgress: (p) => seen.push(p) });
    expect(added.document.format).toBe('md');
    // A small text file may finish before any progress is due (ingestion reports by time since 2026-12-05).
    expect(seen.every((p) => p.done <= p.total)).toBe(true);
    expect((await api.listDocuments()).map((d) => d.id)).toEqual([added.document.id]);
    const hits = await api.search(added.document.id, 'board of directors', 2);
    expect(hits.length).toBeGreaterThan(0);
    const text = await api.getText(added.document.id);
    const whole = text.blocks.map((b) => b.text).join('\n\n');
    expect(whole).toContain(hits[0].quote);
  });

  it('brings errors back as LecternErrors with their code', async () => {
    const e = await api.getDocument('0'.repeat(64)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LecternError);
    expect((e as LecternError).code).toBe('not-found');
    const bad = await api.search('nope', 'x').catch((x: unknown) => x);
    expect((bad as LecternError).code).toBe('usage');
  });

  it('fails calls in flight when the engine dies', async () => {
    const dead = new MessageChannel();
    const client = connectApi(electronLike(dead.port1));
    const call = client.listDocuments();
    client.failAll('the engine stopped (exit code 1)');
    await expect(call).rejects.toMatchObject({ code: 'engine-crashed' });
    dead.port1.close();
  });
});
