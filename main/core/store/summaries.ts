// Stored summaries (migration "summaries" in schema.ts): one JSON body per (document, model),
// the model id '' standing for a summary that used no model signal.
import type { Db } from './db.js';

export interface StoredSummary<T> {
  method: number;
  body: T;
}

export function getSummary<T>(db: Db, documentId: number, modelId: string | null): StoredSummary<T> | null {
  const row = db
    .prepare('SELECT method, body FROM summaries WHERE document_id = ? AND model_id = ?')
    .get(documentId, modelId ?? '') as { method: number; body: string } | undefined;
  return row === undefined ? null : { method: row.method, body: JSON.parse(row.body) as T };
}

/** Writes (or replaces) a summary in one statement: a reader sees the old row or the new one. */
export function putSummary<T>(db: Db, documentId: number, modelId: string | null, method: number, body: T): void {
  db.prepare(
    `INSERT INTO summaries (document_id, model_id, method, body) VALUES (?, ?, ?, ?)
     ON CONFLICT (document_id, model_id) DO UPDATE SET method = excluded.method, body = excluded.body, created_at = datetime('now')`,
  ).run(documentId, modelId ?? '', method, JSON.stringify(body));
}

export function deleteSummaries(db: Db, documentId: number): void {
  db.prepare('DELETE FROM summaries WHERE document_id = ?').run(documentId);
}
