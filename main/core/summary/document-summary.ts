// A stored document's summary, computed on first request and kept in the library (store/
// summaries.ts); later requests, and every model, get the stored one while the method is the same.
import type { Summary } from '../../../common/types.js';
import type { Db } from '../store/db.js';
import { DocumentNotFound, getDocument, loadWholeDocument } from '../store/documents.js';
import { getSummary, putSummary } from '../store/summaries.js';
import { summarize, SUMMARY_METHOD, type ComputedSummary } from './summarize.js';

export function documentSummary(db: Db, documentId: number): Summary {
  const row = getDocument(db, documentId);
  if (row === null) throw new DocumentNotFound(documentId);
  // The summary uses no model signal (summarize.ts), so it is stored under no model.
  const stored = getSummary<ComputedSummary>(db, documentId, null);
  if (stored !== null && stored.method === SUMMARY_METHOD) return { ...stored.body, id: row.sha256, cached: true };
  const computed = summarize(loadWholeDocument(db, documentId, 'a summary'));
  putSummary(db, documentId, computed.modelId, SUMMARY_METHOD, computed);
  return { ...computed, id: row.sha256, cached: false };
}
