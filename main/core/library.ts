// The store's façade for the engine: add a file (ingest, split into passages, store — once per
// distinct content), then search and inspect it. The model's passes run in the engine
// (main/engine/service.ts), which owns the model sessions and the run queue.
import { createHash } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { Document } from './document.js';
import { rejections, UsageError } from './errors.js';
import { ingestBounded } from './ingest/bounded.js';
import { checkTextSize, DEFAULT_MAX_BYTES as MAX_FILE_BYTES, isPlainText, titleFromFileName } from './ingest/index.js';
import { bytesSource, fileSource, head, type ByteSource } from './ingest/text-source.js';
import { passProgress, planPlainText, streamPlainText } from './ingest/text-stream.js';
import { collectGarbage, LARGE_CHARS } from './ingest/text.js';
import type { IngestBounds } from './ingest/stages.js';
import { openDb, type Db, type OpenDbOptions } from './store/db.js';
import { DocumentWriter, findDocumentBySha, insertDocument, listDocuments, loadDocument, type DocumentRow } from './store/documents.js';
import { answerBySearch, citedSearch, ranksSentences, type CitedHit } from './answer/search-answer.js';
import { makePassages } from './text/passages.js';
import { unreadablePassages } from './text/unreadable-passages.js';
import { defaultModelDir } from './model/default-model.js';
import { loadManifest } from './model/manifest.js';
import { openModel, type DeviceChoice, type Model } from './model/session.js';
import { answerAcrossLibrary, answerQuestion } from './answer/answer.js';
import { checkQuestion, checkScript } from './answer/question.js';
import { sentenceIndex } from './answer/sentence-index.js';
import type { Answer, Summary } from '../../common/types.js';
import { getReading, type Reading } from './store/readings.js';
import { documentSummary } from './summary/document-summary.js';

export interface AddOptions {
  password?: string;
  /** Each stage's progress in its unit (pages, "KiB decoded", "passages indexed"…). */
  onProgress?: (done: number, total: number, unit?: string) => void;
  signal?: AbortSignal;
  /** Pages left out (a page the parser did not finish in time), as they happen. */
  onWarning?: (message: string) => void;
  /** The time each stage of ingestion may take (ingest/stages.ts); the defaults when absent. */
  bounds?: Partial<IngestBounds>;
}

export interface AddResult {
  row: DocumentRow;
  cached: boolean;
  /** What onWarning was told while this call ingested the file (none when it was cached). */
  warnings: string[];
  timings: { ingest: number; index: number };
}

export interface AskOptions {
  top?: number;
  device?: DeviceChoice;
  modelDir?: string;
  signal?: AbortSignal;
  /**
   * A session kept open by the caller (the engine keeps one per device across calls); absent, the
   * model is opened for this question and released after it.
   */
  session?: () => Promise<Model>;
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
    const size = await inputSize(filePath);
    // Plain text is streamed from the file (issue 18): it is never read whole.
    const fd = openSync(filePath, 'r');
    try {
      const source = fileSource(fd, size);
      if (isPlainText(head(source), basename(filePath))) return this.addText(source, basename(filePath), resolve(filePath), options);
    } finally {
      closeSync(fd);
    }
    const bytes = await readInput(filePath, size, options.onProgress);
    return this.addBytes(bytes, basename(filePath), options, resolve(filePath));
  }

  /** Adds a file from its bytes (an upload has no path on this machine). */
  async addBytes(bytes: Uint8Array, fileName: string, options: AddOptions = {}, sourcePath: string | null = null): Promise<AddResult> {
    checkSize(bytes.byteLength);
    const source = bytesSource(bytes);
    if (isPlainText(head(source), fileName)) return this.addText(source, fileName, sourcePath, options);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const existing = findDocumentBySha(this.db, sha256);
    if (existing) return { row: existing, cached: true, warnings: [], timings: { ingest: 0, index: 0 } };

    const t0 = performance.now();
    const warnings: string[] = [];
    const doc = await ingestBounded(bytes, {
      fileName,
      password: options.password,
      onProgress: options.onProgress,
      signal: options.signal,
      bounds: options.bounds,
      onWarning: (message) => {
        warnings.push(message);
        options.onWarning?.(message);
      },
    });
    const t1 = performance.now();
    const passages = makePassages(doc, { onProgress: (done, total) => options.onProgress?.(done, total, 'sections split') });
    // Splitting a long book leaves hundreds of MB of dead sentences: gone before the store's copies.
    const large = doc.text.length >= LARGE_CHARS;
    if (large) collectGarbage();
    const unreadablePages = doc.notes.flatMap((n) => (n.code === 'unreadable-pages' ? n.pages : []));
    const row = insertDocument(this.db, {
      sha256,
      bytes: bytes.byteLength,
      fileName,
      sourcePath,
      doc,
      passages,
      unreadablePassages: unreadablePassages(doc, passages, unreadablePages),
    }, (done, total) => options.onProgress?.(done, total, 'passages indexed'));
    if (large) collectGarbage();
    const t2 = performance.now();
    return { row, cached: false, warnings, timings: { ingest: Math.round(t1 - t0), index: Math.round(t2 - t1) } };
  }

  /**
   * Plain text, streamed from its source into the store (text-stream.ts): text, blocks, passages
   * and their full-text rows are written as the file is parsed in its last pass, all in one transaction, so memory
   * does not grow with the file and an add that is stopped or killed leaves nothing behind.
   */
  private async addText(source: ByteSource, fileName: string, sourcePath: string | null, options: AddOptions): Promise<AddResult> {
    checkTextSize(source.size);
    if (source.size === 0) throw rejections.empty();
    const sha256 = hashSource(source, options.onProgress);
    const existing = findDocumentBySha(this.db, sha256);
    if (existing) return { row: existing, cached: true, warnings: [], timings: { ingest: 0, index: 0 } };
    const t0 = performance.now();
    // The passes that only read run before the write lock is taken: other processes wait on it.
    const plan = planPlainText(source, { onProgress: options.onProgress, signal: options.signal });
    let cached = false;
    const write = this.db.transaction((): DocumentRow => {
      // Another process may have added the same file since the look above.
      const again = findDocumentBySha(this.db, sha256);
      cached = again !== null;
      if (again !== null) return again;
      const writer = new DocumentWriter(this.db, { sha256, bytes: source.size, fileName, sourcePath, kind: 'txt', title: '', author: null, pages: null });
      const streamed = streamPlainText(
        source,
        {
          text: (piece) => writer.text.push(piece),
          block: (b) => writer.block(b),
          passage: (p) => writer.passage(p),
          setLevel: (ordinal, level) => writer.setLevel(ordinal, level),
        },
        { onProgress: options.onProgress, signal: options.signal },
        plan,
      );
      const title = streamed.title.trim() ? streamed.title : titleFromFileName(fileName);
      return writer.finish({ title, author: streamed.author, notes: streamed.notes });
    });
    const row = write.immediate();
    // Ingesting and indexing are one pass here: the time goes to ingest.
    return { row, cached, warnings: [], timings: { ingest: Math.round(performance.now() - t0), index: 0 } };
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

  /** The document's summary (genre, overview, outline, key facts), computed once and stored. */
  summary(id: number): Summary {
    return documentSummary(this.db, id);
  }

  search(id: number, query: string, top = 5): CitedHit[] {
    return citedSearch(this.db, id, query, top);
  }

  /**
   * Answers a question from one document with its own sentences. The model's signals join when
   * its reading of the document is done; before that the answer comes from search and structure
   * and says `partial`. A document too long to rank its sentences is answered from search.
   */
  async ask(id: number, question: string, options: AskOptions = {}): Promise<Answer> {
    if (!ranksSentences(this.db, id)) return answerBySearch(this.db, id, question, options.top);
    // A bad question is refused before the model is opened.
    checkScript(checkQuestion(question), sentenceIndex(this.db, id).language);
    return this.withModel(options, [id], (model) => answerQuestion(this.db, id, question, { ...options, model }));
  }

  /** The same across every document of the library in the question's script; citations name their document. */
  async askAll(question: string, options: AskOptions = {}): Promise<Answer> {
    checkQuestion(question);
    const ids = this.documents().map((d) => d.id);
    return this.withModel(options, ids, (model) => answerAcrossLibrary(this.db, question, { ...options, model }));
  }

  /** Opens the model only when some document has a finished reading by it (opening costs a second). */
  private async withModel<T>(options: AskOptions, ids: number[], run: (model: Model | undefined) => Promise<T>): Promise<T> {
    const modelDir = options.modelDir ?? defaultModelDir();
    const modelId = loadManifest(modelDir).id;
    if (!ids.some((id) => getReading(this.db, id, modelId)?.status === 'done')) return run(undefined);
    if (options.session) return run(await options.session());
    const model = await openModel(modelDir, options.device ?? 'cpu');
    try {
      return await run(model);
    } finally {
      await model.release();
    }
  }

  close(): void {
    this.db.close();
  }
}

/** The file's size, checked before anything is read, so an oversized file never reaches memory. */
async function inputSize(filePath: string): Promise<number> {
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
  return size;
}

/** Reads a file a piece at a time with progress (tens of MB from a busy disk take seconds). */
async function readInput(filePath: string, size: number, onProgress?: (done: number, total: number, unit: string) => void): Promise<Uint8Array> {
  const bytes = new Uint8Array(size);
  const file = await open(filePath, 'r');
  try {
    for (let done = 0; done < size; ) {
      const { bytesRead } = await file.read(bytes, done, Math.min(READ_PIECE_BYTES, size - done), done);
      if (bytesRead === 0) throw rejections.corrupt('the file shrank while it was read');
      done += bytesRead;
      if (size > READ_PIECE_BYTES) onProgress?.(Math.round(done / 1024), Math.round(size / 1024), 'KiB read');
    }
  } finally {
    await file.close();
  }
  return bytes;
}

/** The SHA-256 of a source's bytes, read a piece at a time: the first of plain text's passes. */
function hashSource(source: ByteSource, onProgress?: (done: number, total: number, unit: string) => void): string {
  const hash = createHash('sha256');
  const report = passProgress(onProgress, source.size, 'hashing');
  for (let done = 0; done < source.size; ) {
    const piece = source.read(done, Math.min(READ_PIECE_BYTES, source.size - done));
    hash.update(piece);
    done += piece.length;
    report(done);
  }
  return hash.digest('hex');
}

const READ_PIECE_BYTES = 2 ** 20;

function checkSize(size: number): void {
  if (size > MAX_FILE_BYTES) {
    throw rejections.tooLarge(`${(size / 2 ** 20).toFixed(0)} MiB (the limit is ${MAX_FILE_BYTES / 2 ** 20} MiB)`);
  }
  if (size === 0) throw rejections.empty();
}
