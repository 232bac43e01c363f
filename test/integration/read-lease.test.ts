// The reading lease on a real library file: one holder at a time, renewed by its holder, taken
// over when the holder's process is gone or its heartbeat is stale.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../main/core/store/db.js';
import { releaseLease, renewLease, STALE_MS, tryTakeLease } from '../../main/core/store/read-leases.js';

const dir = mkdtempSync(join(tmpdir(), 'lectern-lease-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function library(name: string) {
  const db = openDb(join(dir, name));
  db.prepare(
    `INSERT INTO documents (sha256, kind, title, chars, bytes, added_at) VALUES ('x', 'txt', 't', 1, 1, '2026-12-05')`,
  ).run();
  return db;
}

/** The pid of a process that has exited: a holder that died. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('read leases', () => {
  const host = hostname();
  it('one holder at a time; released, it is free again', () => {
    const db = library('a.sqlite');
    const other = openDb(join(dir, 'a.sqlite'));
    const first = { pid: process.pid, host };
    const second = { pid: process.ppid, host }; // a live process that is not this one
    expect(tryTakeLease(db, 1, 'm', first)).toBeNull();
    expect(tryTakeLease(other, 1, 'm', second)).toEqual(first);
    expect(tryTakeLease(db, 1, 'm', first)).toBeNull(); // already ours
    expect(tryTakeLease(other, 1, 'other-model', second)).toBeNull(); // another model's reading
    releaseLease(db, 1, 'm', first);
    expect(tryTakeLease(other, 1, 'm', second)).toBeNull();
    expect(renewLease(db, 1, 'm', first)).toBe(false);
    db.close();
    other.close();
  });

  it("is taken over when its holder's process is gone", () => {
    const db = library('b.sqlite');
    const dead = { pid: deadPid(), host };
    expect(tryTakeLease(db, 1, 'm', dead)).toBeNull();
    expect(tryTakeLease(db, 1, 'm', { pid: process.pid, host })).toBeNull();
    expect(renewLease(db, 1, 'm', dead)).toBe(false);
    db.close();
  });

  it('is taken over when its heartbeat is stale (a holder on another host)', () => {
    const db = library('c.sqlite');
    const remote = { pid: 4242, host: 'elsewhere' };
    const t = 1_000_000;
    expect(tryTakeLease(db, 1, 'm', remote, t)).toBeNull();
    expect(tryTakeLease(db, 1, 'm', { pid: process.pid, host }, t + STALE_MS - 1)).toEqual(remote);
    expect(renewLease(db, 1, 'm', remote, t + STALE_MS - 1)).toBe(true);
    expect(tryTakeLease(db, 1, 'm', { pid: process.pid, host }, t + 2 * STALE_MS)).toBeNull();
    db.close();
  });
});
