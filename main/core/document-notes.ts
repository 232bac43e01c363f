// What ingestion did to a document that its reader should know: text it removed (a Project
// Gutenberg licence), pages whose text layer is not language. Nothing is dropped silently: each
// note is stored with the document and shown by `read` and `info` (text and JSON).
import type { DocumentNote } from '../../common/types.js';

// The stored note is the wire type itself: what `info` and the app show is what was stored.
export type IngestNote = DocumentNote;

/** "2", "2–23", "2–5, 9, 11–12": pages as a reader writes them. */
export function pageRanges(pages: readonly number[]): string {
  const sorted = [...new Set(pages)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j === i ? `${sorted[i]}` : `${sorted[i]}–${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

/** Notes read back from the store; anything malformed is dropped rather than trusted. */
export function parseNotes(json: string): IngestNote[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  return value.filter(
    (n): n is IngestNote =>
      typeof n === 'object' && n !== null && typeof (n as { code?: unknown }).code === 'string' && typeof (n as { message?: unknown }).message === 'string',
  );
}
