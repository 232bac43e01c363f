// The model's reading of a document already in a Library, as the engine does it (its service,
// in this process, on the same library file): tests, the eval and the benches that hold a core
// Library use it, since reading lives in the engine and not in the Library.
import type { ReadSummary } from '../../common/types.js';
import type { Library } from '../../main/core/library.js';
import { getDocument } from '../../main/core/store/documents.js';
import { LibraryService } from '../../main/engine/service.js';

export async function readStored(library: Library, documentId: number): Promise<ReadSummary> {
  const row = getDocument(library.db, documentId);
  if (row === null || row === undefined) throw new Error(`no document ${documentId}`);
  const service = new LibraryService({ dbPath: library.dbPath });
  try {
    return await service.read(row.sha256, { device: 'cpu' });
  } finally {
    await service.close();
  }
}
