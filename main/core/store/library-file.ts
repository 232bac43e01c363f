// Checks that a path can be Lectern's library before anything is written to it: a directory,
// a file that is not SQLite, or another application's database is refused with a one-line
// reason ('bad-path'), and the file is left exactly as it was. The check opens an existing file
// read-only, so it cannot change a byte (not even the header switch that WAL mode writes).
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { LecternError } from '../../../common/errors.js';

function badPath(path: string, why: string): LecternError {
  return new LecternError('bad-path', `library ${path}: ${why}`, path);
}

/** Throws LecternError('bad-path') unless `path` is absent, empty, or a library of `schemaVersions` or fewer migrations. */
export function checkLibraryFile(path: string, schemaVersions: number): void {
  let size: number;
  try {
    const s = statSync(path);
    if (s.isDirectory()) throw badPath(path, 'is a directory, not a library file (give a file path, e.g. library.sqlite)');
    if (!s.isFile()) throw badPath(path, 'is not a regular file');
    size = s.size;
  } catch (e) {
    if (e instanceof LecternError) throw e;
    if (isErrno(e, 'ENOENT')) return; // a new library
    if (isErrno(e, 'ENOTDIR')) throw badPath(path, 'a part of the path is a file, not a directory');
    throw badPath(path, `cannot be read (${errnoOf(e) ?? 'unknown error'})`);
  }
  if (size === 0) return;
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw badPath(path, `cannot be opened (${e instanceof Error ? e.message : String(e)})`);
  }
  try {
    let tables: string[];
    let version: number;
    try {
      tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((r) => r.name);
      version = db.pragma('user_version', { simple: true }) as number;
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') throw badPath(path, 'is not a SQLite database, so not a Lectern library');
      throw badPath(path, `cannot be read as a database (${e instanceof Error ? e.message : String(e)})`);
    }
    if (version > schemaVersions) {
      throw badPath(path, `was written by a newer Lectern (schema ${version}, this one knows ${schemaVersions})`);
    }
    // Migration 1 creates `documents`; a database without it that has tables is someone else's.
    const ours = version > 0 && tables.includes('documents');
    if (!ours && tables.length > 0) {
      const shown = tables.slice(0, 3).join(', ') + (tables.length > 3 ? ', …' : '');
      throw badPath(path, `is another application's SQLite database (tables: ${shown}), not a Lectern library`);
    }
  } finally {
    db.close();
  }
}

function errnoOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function isErrno(e: unknown, code: string): boolean {
  return errnoOf(e) === code;
}
