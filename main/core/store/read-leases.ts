// Leases on reading a document with a model: at most one process reads it at a time, so two
// `lectern read` of one document on one library do not both run the model. The lease is a row
// in the library (it works across processes, unlike a lock in memory) with the holder's pid,
// host and a heartbeat it renews while it reads. A holder that stopped renewing, or whose
// process is gone from this host, has lost its lease: the next reader takes it over and resumes
// from the reading's last checkpoint.
import { hostname } from 'node:os';
import type { Db } from './db.js';

export interface LeaseHolder {
  pid: number;
  host: string;
}

/** A lease not renewed for this long is stale (the holder renews every HEARTBEAT_MS). */
export const STALE_MS = 15_000;
export const HEARTBEAT_MS = 2_000;

export function thisProcess(): LeaseHolder {
  return { pid: process.pid, host: hostname() };
}

interface LeaseRow {
  pid: number;
  host: string;
  heartbeat_ms: number;
}

/** Whether a process of this host still runs (EPERM: it runs as another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: unknown }).code === 'EPERM';
  }
}

function isStale(row: LeaseRow, now: number, me: LeaseHolder): boolean {
  if (now - row.heartbeat_ms > STALE_MS) return true;
  return row.host === me.host && row.pid !== me.pid && !alive(row.pid);
}

/**
 * Takes the lease unless another live holder has it: null when taken (or already ours), else
 * who holds it. One IMMEDIATE transaction, so two processes cannot both take it.
 */
export function tryTakeLease(db: Db, documentId: number, modelId: string, me: LeaseHolder = thisProcess(), now = Date.now()): LeaseHolder | null {
  const take = db.transaction((): LeaseHolder | null => {
    const row = db
      .prepare('SELECT pid, host, heartbeat_ms FROM read_leases WHERE document_id = ? AND model_id = ?')
      .get(documentId, modelId) as LeaseRow | undefined;
    const mine = row !== undefined && row.pid === me.pid && row.host === me.host;
    if (row !== undefined && !mine && !isStale(row, now, me)) return { pid: row.pid, host: row.host };
    db.prepare(
      `INSERT INTO read_leases (document_id, model_id, pid, host, heartbeat_ms) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (document_id, model_id) DO UPDATE SET pid = excluded.pid, host = excluded.host, heartbeat_ms = excluded.heartbeat_ms`,
    ).run(documentId, modelId, me.pid, me.host, now);
    return null;
  });
  return take.immediate();
}

/** Renews the holder's heartbeat; false when the lease is no longer its own (taken over). */
export function renewLease(db: Db, documentId: number, modelId: string, me: LeaseHolder = thisProcess(), now = Date.now()): boolean {
  const r = db
    .prepare('UPDATE read_leases SET heartbeat_ms = ? WHERE document_id = ? AND model_id = ? AND pid = ? AND host = ?')
    .run(now, documentId, modelId, me.pid, me.host);
  return r.changes > 0;
}

export function releaseLease(db: Db, documentId: number, modelId: string, me: LeaseHolder = thisProcess()): void {
  db.prepare('DELETE FROM read_leases WHERE document_id = ? AND model_id = ? AND pid = ? AND host = ?').run(documentId, modelId, me.pid, me.host);
}
