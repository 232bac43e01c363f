// A fixture as the app would read it: the real ingester on the file's bytes, so tests that need
// a long real document (search, passages, the store) see the blocks and headings users get.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Document } from '../../main/core/document.js';
import { ingest } from '../../main/core/ingest/index.js';
import { fixture } from './fixtures.js';

/** Ingests the fixture at `rel` (a path under fixtures/, e.g. "novels/pride_and_prejudice.txt"). */
export async function ingestFixture(rel: string): Promise<Document> {
  // pdf.js refuses a Buffer: the ingester takes plain bytes, as the library passes them.
  return ingest(new Uint8Array(await readFile(fixture(rel))), { fileName: basename(rel) });
}
