// Opens the library database: WAL for crash safety and concurrent readers, foreign keys on,
// migrations applied by PRAGMA user_version.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { LecternError } from '../../../common/errors.js';
import { checkLibraryFile } from './library-file.js';
import { migrations } from './schema.js';

export type Db = Database.Database;

export interface OpenDbOptions {
  /** SQLite's page cache for this connection, in KiB; better-sqlite3's default is 16,000. */
  pageCacheKiB?: number;
}

/**
 * Page cache of a reading's connection. A reading writes (a 1M-token book leaves ~50 MB of
 * checkpoints) and reads little back, so better-sqlite3's 16 MB cache only fills with pages it
 * has written: a 981k-token reading's peak RSS was 14 MB higher with it (measured, 3 runs
 * each: 221–226 MB against 230–237 MB), and no faster.
 */
export const READING_PAGE_CACHE_KIB = 2_000;

export function openDb(path: string, options: OpenDbOptions = {}): Db {
  let db: Db;
  if (path === ':memory:') db = new Database(path);
  else {
    checkLibraryFile(path, migrations.length);
    try {
      mkdirSync(dirname(path), { recursive: true });
      db = new Database(path);
    } catch (e) {
      throw new LecternError('bad-path', `library ${path}: cannot be created (${e instanceof Error ? e.message : String(e)})`, path);
    }
  }
  // First, so that the other pragmas and the migration wait for a lock another process holds.
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  enableWal(db);
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  // Negative: KiB rather than pages (SQLite's convention).
  if (options.pageCacheKiB !== undefined) db.pragma(`cache_size = ${-Math.max(1, Math.round(options.pageCacheKiB))}`);
  migrate(db);
  return db;
}

const BUSY_TIMEOUT_MS = 5000;

/**
 * Switches the library to WAL. On a new file opened by several processes at once the switch can
 * fail at once with SQLITE_BUSY, without waiting on busy_timeout (SQLite does not wait for the
 * exclusive lock a change of journal mode takes), so it is retried for as long as that timeout.
 */
function enableWal(db: Db): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (e) {
      if (!(e instanceof Database.SqliteError && e.code === 'SQLITE_BUSY') || Date.now() > deadline) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
}

export function migrate(db: Db): void {
  if (schemaVersion(db) === migrations.length) return;
  // Each step reads the version inside a write transaction: a second process opening the same
  // new library waits for the first's step (busy_timeout) and then sees it done, instead of both
  // reading version 0 and creating the same tables.
  const step = db.transaction((): boolean => {
    const v = schemaVersion(db);
    if (v === migrations.length) return false;
    db.exec(migrations[v].sql);
    migrations[v].run?.(db);
    db.pragma(`user_version = ${v + 1}`);
    return true;
  });
  while (step.immediate()) {
    // one migration a transaction
  }
}

/** The schema's version; throws when a newer Lectern wrote the library. */
function schemaVersion(db: Db): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(
      `the library at ${db.name} was written by a newer Lectern (schema ${current}, this one knows ${migrations.length})`,
    );
  }
  return current;
}
