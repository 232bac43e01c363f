// The façade the CLI, the web server and the app share: add a file (ingest, split into
// passages, store — once per distinct content), then search, inspect and read it.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { Document } from './document.js';
import { rejections, UsageError } from './errors.js';
import { DEFAULT_MAX_BYTES as MAX_FILE_BYTES, ingest } from './ingest/index.js';
import { openDb, type Db } from './store/db.js';
import { findDocumentBySha, insertDocument, listDocuments, loadDocument, type DocumentRow } from './store/documents.js';
import { searchPassages, type SearchHit } from './store/search.js';
import { makePassages } from './text/passages.js';
import { defaultModelDir } from './model/default-model.js';
import { loadManifest } from './model/manifest.js';
import type { ReadProgress, ReadResult } from './reading/reader.js';
import { scoreFromStore, type ScoreResult } from './reading/score.js';
import type { DeviceChoice } from './model/session.js';
import { readInWorker, scoreInWorker } from './reading/worker-client.js';
import { getReading, type Reading } from './store/readings.js';

export interface AddOptions {
  password?: string;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface AddResult {
  row: DocumentRow;
  cached: boolean;
  timings: { ingest: number; index: number };
}

export interface ReadOptions {
  device?: DeviceChoice;
  /** A model folder; the bundled default when absent. */
  modelDir?: string;
  onProgress?: (p: ReadProgress) => void;
  signal?: AbortSignal;
}

export class Library {
  private constructor(
    readonly db: Db,
    readonly dbPath: string,
  ) {}

  static open(dbPath: string): Library {
    return new Library(openDb(dbPath), dbPath);
  }

  /** Adds a file by its content: the same bytes added twice are found, not ingested again. */
  async add(filePath: string, options: AddOptions = {}): Promise<AddResult> {
    const bytes = await readInput(filePath);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const existing = findDocumentBySha(this.db, sha256);
    if (existing) return { row: existing, cached: true, timings: { ingest: 0, index: 0 } };

    const t0 = performance.now();
    const doc = await ingest(bytes, {
      fileName: basename(filePath),
      password: options.password,
      onProgress: options.onProgress,
      signal: options.signal,
    });
    const t1 = performance.now();
    const passages = makePassages(doc);
    const row = insertDocument(this.db, {
      sha256,
      bytes: bytes.byteLength,
      fileName: basename(filePath),
      sourcePath: resolve(filePath),
      doc,
      passages,
    });
    const t2 = performance.now();
    return { row, cached: false, timings: { ingest: Math.round(t1 - t0), index: Math.round(t2 - t1) } };
  }

  /**
   * The model's one pass over a stored document, in a worker thread so the caller stays
   * responsive; continues an interrupted reading. A finished reading is answered from the store,
   * without a worker, a model session or tokenizing the text again: the model id names the
   * model's files (their hashes are in its manifest), so the same id reads the same tokens.
   */
  async read(id: number, options: ReadOptions = {}): Promise<ReadResult> {
    const modelDir = options.modelDir ?? defaultModelDir();
    const device = options.device ?? 'auto';
    const modelId = loadManifest(modelDir).id;
    const done = getReading(this.db, id, modelId);
    if (done?.status === 'done') {
      return {
        documentId: id,
        modelId,
        tokens: done.tokensTotal,
        resumedFrom: done.tokensTotal,
        seconds: 0,
        tokensPerSecond: 0,
        device: { requested: device, provider: done.provider, fallbackReason: null },
        bitsPerByte: done.scored ? scoreFromStore(this.db, id, modelId).bits_per_byte : null,
      };
    }
    return readInWorker({ dbPath: this.dbPath, modelDir, device, documentId: id, onProgress: options.onProgress, signal: options.signal });
  }

  /** How far the model (the default one when absent) has read a document; null if never. */
  reading(id: number, modelDir: string = defaultModelDir()): Reading | null {
    return getReading(this.db, id, loadManifest(modelDir).id);
  }

  /**
   * Bits per byte of a read document under a model (the default one when absent). A reading
   * made with the model's reading graph is scored first, in a worker, once.
   */
  async score(id: number, options: ReadOptions = {}): Promise<ScoreResult> {
    const modelDir = options.modelDir ?? defaultModelDir();
    const modelId = loadManifest(modelDir).id;
    const reading = getReading(this.db, id, modelId);
    if (reading?.status === 'done' && !reading.scored) {
      await scoreInWorker({
        dbPath: this.dbPath,
        modelDir,
        device: options.device ?? 'auto',
        documentId: id,
        onProgress: options.onProgress,
        signal: options.signal,
      });
    }
    return scoreFromStore(this.db, id, modelId);
  }

  documents(): DocumentRow[] {
    return listDocuments(this.db);
  }

  document(id: number): Document {
    return loadDocument(this.db, id);
  }

  search(id: number, query: string, top = 5): SearchHit[] {
    return searchPassages(this.db, id, query, top);
  }

  close(): void {
    this.db.close();
  }
}

/** Checks the file's size before reading it, so an oversized file never reaches memory. */
async function readInput(filePath: string): Promise<Uint8Array> {
  let size: number;
  try {
    const s = await stat(filePath);
    if (!s.isFile()) throw new UsageError(`not a file: ${filePath}`, 'bad-path');
    size = s.size;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`no such file: ${filePath}`, 'bad-path');
  }
  if (size > MAX_FILE_BYTES) {
    throw rejections.tooLarge(`${(size / 2 ** 20).toFixed(0)} MiB (the limit is ${MAX_FILE_BYTES / 2 ** 20} MiB)`);
  }
  if (size === 0) throw rejections.empty();
  return new Uint8Array(await readFile(filePath));
}
