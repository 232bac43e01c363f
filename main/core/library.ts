// The store's façade for the engine: add a file (ingest, split into passages, store — once per
// distinct content), then search and inspect it. The model's passes run in the engine
// (main/engine/service.ts), which owns the model sessions and the run queue.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { Document } from './document.js';
import { rejections, UsageError } from './errors.js';
import { DEFAULT_MAX_BYTES as MAX_FILE_BYTES, ingest } from './ingest/index.js';
import { openDb, type Db, type OpenDbOptions } from './store/db.js';
import { findDocumentBySha, insertDocument, listDocuments, loadDocument, loadLayout, type DocumentRow } from './store/documents.js';
import { searchPassages, type SearchHit } from './answer/search.js';
import { makePassages } from './text/passages.js';
import { Locator } from './text/locate.js';
import { defaultModelDir } from './model/default-model.js';
import { loadManifest } from './model/manifest.js';
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

/** A search hit cited where its quote is: `page` is the page of the quote's first character. */
export interface CitedHit extends SearchHit {
  /** The page the passage starts on (what `page` said before quotes were located). */
  passagePage: number | null;
  sectionPath: string[];
  paragraph: number | null;
}

export class Library {
  private constructor(
    readonly db: Db,
    readonly dbPath: string,
  ) {}

  static open(dbPath: string, options: OpenDbOptions = {}): Library {
    return new Library(openDb(dbPath, options), dbPath);
  }

  /** Adds a file by its content: the same bytes added twice are found, not ingested again. */
  async add(filePath: string, options: AddOptions = {}): Promise<AddResult> {
    const bytes = await readInput(filePath);
    return this.addBytes(bytes, basename(filePath), options, resolve(filePath));
  }

  /** Adds a file from its bytes (an upload has no path on this machine). */
  async addBytes(bytes: Uint8Array, fileName: string, options: AddOptions = {}, sourcePath: string | null = null): Promise<AddResult> {
    checkSize(bytes.byteLength);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const existing = findDocumentBySha(this.db, sha256);
    if (existing) return { row: existing, cached: true, timings: { ingest: 0, index: 0 } };

    const t0 = performance.now();
    const doc = await ingest(bytes, {
      fileName,
      password: options.password,
      onProgress: options.onProgress,
      signal: options.signal,
    });
    const t1 = performance.now();
    const passages = makePassages(doc);
    const row = insertDocument(this.db, {
      sha256,
      bytes: bytes.byteLength,
      fileName,
      sourcePath,
      doc,
      passages,
    });
    const t2 = performance.now();
    return { row, cached: false, timings: { ingest: Math.round(t1 - t0), index: Math.round(t2 - t1) } };
  }

  /** How far the model (the default one when absent) has read a document; null if never. */
  reading(id: number, modelDir: string = defaultModelDir()): Reading | null {
    return getReading(this.db, id, loadManifest(modelDir).id);
  }

  documents(): DocumentRow[] {
    return listDocuments(this.db);
  }

  document(id: number): Document {
    return loadDocument(this.db, id);
  }

  search(id: number, query: string, top = 5): CitedHit[] {
    const hits = searchPassages(this.db, id, query, top);
    if (hits.length === 0) return [];
    const locator = new Locator(loadLayout(this.db, id));
    return hits.map((h) => {
      const at = locator.locate(h.quoteStart);
      return { ...h, passagePage: h.page, page: at.page, sectionPath: at.sectionPath, paragraph: at.paragraph };
    });
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
    if (!s.isFile()) throw new UsageError(`not a file: ${filePath}`);
    size = s.size;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`no such file: ${filePath}`);
  }
  checkSize(size);
  return new Uint8Array(await readFile(filePath));
}

function checkSize(size: number): void {
  if (size > MAX_FILE_BYTES) {
    throw rejections.tooLarge(`${(size / 2 ** 20).toFixed(0)} MiB (the limit is ${MAX_FILE_BYTES / 2 ** 20} MiB)`);
  }
  if (size === 0) throw rejections.empty();
}
