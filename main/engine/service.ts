// LecternApi over the core, in the process that hosts it: the engine's worker runs one, and a web
// server may host one in-process. It names documents by their SHA-256 (the store by row ids),
// turns store rows into the plain data of common/types.ts, keeps the model sessions open across
// calls and sends every model pass through the process's run queue.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, relative, sep } from 'node:path';
import type { AddOptions, AddResult, AskOptions, CancelSignal, LecternApi, ReadOptions, RunOptions } from '../../common/api.js';
import { LecternError } from '../../common/errors.js';
import type {
  Answer,
  DocumentBlock,
  DocumentInfo,
  DocumentOutline,
  DocumentText,
  EngineInfo,
  Progress,
  ReadingInfo,
  ReadSummary,
  ScoreSummary,
  SearchHit,
  Settings,
  Summary,
} from '../../common/types.js';
import { storedLanguage } from '../core/answer/search-answer.js';
import type { Block } from '../core/document.js';
import { UsageError } from '../core/errors.js';
import { Library, type AddOptions as CoreAddOptions, type AddResult as CoreAddResult } from '../core/library.js';
import { defaultModelDir, packageRoot } from '../core/model/default-model.js';
import { loadManifest, type ModelManifest } from '../core/model/manifest.js';
import { gpuCandidates, type DeviceChoice } from '../core/model/session.js';
import { holdReadLease } from '../core/reading-lease.js';
import { emptyStages, readDocument, type ReadProgress } from '../core/reading/reader.js';
import { scoreFromStore } from '../core/reading/score.js';
import { scoreDocument } from '../core/reading/scorer.js';
import { READING_PAGE_CACHE_KIB } from '../core/store/db.js';
import { deleteDocument, DocumentNotFound, findDocumentBySha, getDocument, loadOutline, loadWholeDocument, type DocumentRow } from '../core/store/documents.js';
import { readTextRange } from '../core/store/document-text.js';
import { getReading } from '../core/store/readings.js';
import { ModelSessions } from './model-sessions.js';
import { modelRuns } from './run-queue.js';

export interface ServiceOptions {
  dbPath: string;
  /** A model folder; the bundled default when absent. */
  modelDir?: string;
}

const SHA256 = /^[0-9a-f]{64}$/;

export class LibraryService implements LecternApi {
  private readonly library: Library;
  private readonly modelDir: string;
  private readonly manifest: ModelManifest;
  private readonly sessions = new ModelSessions();

  constructor(options: ServiceOptions) {
    this.modelDir = options.modelDir ?? defaultModelDir();
    this.manifest = loadManifest(this.modelDir);
    // The reading connection's small page cache (store/db.ts says why): reading is what this
    // connection does most, and searches touch one document's pages.
    this.library = Library.open(options.dbPath, { pageCacheKiB: READING_PAGE_CACHE_KIB });
  }

  async info(): Promise<EngineInfo> {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
    return {
      version: pkg.version,
      model: { id: this.manifest.id, trained: this.manifest.trained, parameters: null, dir: this.modelDir },
      providers: [...gpuCandidates(), 'cpu'],
      libraryPath: this.library.dbPath,
    };
  }

  async listDocuments(): Promise<DocumentInfo[]> {
    return this.library.documents().map((row) => this.infoOf(row));
  }

  async getDocument(id: string): Promise<DocumentInfo> {
    return this.infoOf(this.row(id));
  }

  async getText(id: string): Promise<DocumentText> {
    const doc = loadWholeDocument(this.library.db, this.row(id).id, 'the whole text with its blocks (lectern text --json)');
    return {
      id,
      title: doc.title,
      pages: doc.pages,
      blocks: doc.blocks.map(plainBlock),
      text: doc.text,
      pageBreaks: (doc.pageBreaks ?? []).map((b) => ({ start: b.start, page: b.page })),
    };
  }

  async getOutline(id: string): Promise<DocumentOutline> {
    // From the block count and the headings, never the whole text or every block: `lectern info`
    // on a document of hundreds of MB costs its headings (issue 18).
    const db = this.library.db;
    const docId = this.row(id).id;
    const { blocks, headings } = loadOutline(db, docId);
    return { id, language: storedLanguage(db, docId), blocks, headings: headings.map(plainBlock) };
  }

  async getTextRange(id: string, start: number, end: number): Promise<string> {
    return readTextRange(this.library.db, this.row(id).id, start, end);
  }

  async addPath(path: string, options: AddOptions = {}): Promise<AddResult> {
    return this.added(await this.library.add(path, this.addOptions(options)));
  }

  /**
   * An upload is kept under the library's files/ folder, named by its hash, so the reader can show
   * the original (a PDF's pages) as it shows a file added by its path.
   */
  async addBytes(fileName: string, bytes: Uint8Array, options: AddOptions = {}): Promise<AddResult> {
    const { createHash } = await import('node:crypto');
    const dir = join(this.uploadsDir(), createHash('sha256').update(bytes).digest('hex'));
    mkdirSync(dir, { recursive: true });
    const safeName = fileName.replace(/[/\\\0]/g, '_').slice(-200) || `document${extname(fileName)}`;
    const path = join(dir, safeName);
    if (!existsSync(path)) writeFileSync(path, bytes);
    try {
      const added = await this.addPath(path, options);
      // The same bytes under another name are the document already stored from its first name.
      if (added.cached) this.dropUnusedUpload(dir);
      return added;
    } catch (e) {
      // Refused (or cancelled): nothing in the library refers to the bytes kept for it.
      this.dropUnusedUpload(dir);
      throw e;
    }
  }

  /** Where uploads are kept: <library dir>/files/<sha256>/<file name>. */
  private uploadsDir(): string {
    return join(dirname(this.library.dbPath), 'files');
  }

  /**
   * Deletes an upload's folder (files/<sha256>/) when no document of the library refers to a file
   * in it. Only ever a folder under files/: a document added by its path keeps its original.
   */
  private dropUnusedUpload(dir: string): void {
    const inside = relative(this.uploadsDir(), dir);
    if (inside === '' || inside.startsWith('..') || inside.includes(sep)) return;
    const prefix = dir + sep;
    const used = this.library.db.prepare('SELECT 1 FROM documents WHERE instr(source_path, ?) = 1 LIMIT 1').get(prefix);
    if (used === undefined) rmSync(dir, { recursive: true, force: true });
  }

  /** The original file's bytes (the reader renders PDFs from them). */
  async getSource(id: string): Promise<Uint8Array> {
    const row = this.row(id);
    if (!row.sourcePath || !existsSync(row.sourcePath)) throw new LecternError('not-found', 'the original file of this document is no longer where it was added from');
    return new Uint8Array(await readFile(row.sourcePath));
  }

  async getSettings(): Promise<Settings> {
    return this.loadSettings();
  }

  async updateSettings(change: Partial<Settings>): Promise<Settings> {
    const next: Settings = { ...this.loadSettings(), ...(change.device === undefined ? {} : { device: change.device }) };
    writeFileSync(this.settingsFile(), JSON.stringify(next, null, 2));
    return next;
  }

  /** Drops every reading and summary; the documents stay. */
  async clearCache(): Promise<void> {
    this.library.db.exec('DELETE FROM readings; DELETE FROM summaries');
  }

  private settingsFile(): string {
    return `${this.library.dbPath}.settings.json`;
  }

  private loadSettings(): Settings {
    const defaults: Settings = { device: 'auto', libraryPath: this.library.dbPath };
    if (!existsSync(this.settingsFile())) return defaults;
    const saved = JSON.parse(readFileSync(this.settingsFile(), 'utf8')) as Partial<Settings>;
    const device = saved.device === 'cpu' || saved.device === 'gpu' || saved.device === 'auto' ? saved.device : defaults.device;
    return { ...defaults, device };
  }

  /** Removes the document, and its upload's stored file when no other document refers to it. */
  async removeDocument(id: string): Promise<void> {
    const row = this.row(id);
    deleteDocument(this.library.db, row.id);
    if (row.sourcePath !== null) this.dropUnusedUpload(dirname(row.sourcePath));
  }

  /**
   * The model's one pass, continuing an interrupted one. A finished reading is answered from the
   * store without a session or tokenizing the text again: the model id names the model's files
   * (their hashes are in its manifest), so the same id reads the same tokens.
   */
  async read(id: string, options: ReadOptions = {}): Promise<ReadSummary> {
    const row = this.row(id);
    const device = options.device ?? 'auto';
    const stored = this.finishedReading(id, row.id, device);
    if (stored !== null) return stored;
    const signal = abortSignalOf(options.signal);
    // Another process may be reading it: wait for it, then take what it finished or resume.
    const lease = await holdReadLease(this.library.db, row.id, this.manifest.id, {
      signal,
      onWait: (holder) =>
        options.onProgress?.({
          stage: 'waiting',
          done: 0,
          total: 0,
          tokensPerSecond: null,
          etaMs: null,
          message: `another lectern process (pid ${holder.pid} on ${holder.host}) is reading this document`,
        }),
    });
    try {
      return this.finishedReading(id, row.id, device) ?? (await this.readNow(id, row.id, device, signal, options.onProgress));
    } finally {
      lease.release();
    }
  }

  /** A finished reading, answered from the store; null when there is none. */
  private finishedReading(id: string, rowId: number, device: DeviceChoice): ReadSummary | null {
    const modelId = this.manifest.id;
    const done = getReading(this.library.db, rowId, modelId);
    if (done?.status === 'done') {
      return {
        id,
        modelId,
        tokens: done.tokensTotal,
        resumedFrom: done.tokensTotal,
        cached: true,
        seconds: 0,
        tokensPerSecond: null,
        device: { requested: device, provider: done.provider, fallbackReason: null },
        bitsPerByte: done.scored ? scoreFromStore(this.library.db, rowId, modelId).bits_per_byte : null,
        timingsMs: { queue: 0, modelOpen: 0, tokenize: 0, read: 0 },
      };
    }
    return null;
  }

  private readNow(id: string, rowId: number, device: DeviceChoice, signal: AbortSignal | undefined, onProgress: ((p: Progress) => void) | undefined): Promise<ReadSummary> {
    const modelId = this.manifest.id;
    const queued = performance.now();
    return modelRuns.run(async () => {
      const opening = performance.now();
      // Continuing a reading begun with the full graph needs the full graph (its sums must
      // cover every token); anything else reads with the reading graph, when the model has one.
      const previous = getReading(this.library.db, rowId, modelId);
      const graph = previous?.status === 'reading' && previous.scored ? 'full' : 'reader';
      const model = await this.sessions.get(this.modelDir, device, graph);
      const stages = emptyStages();
      const reading = performance.now();
      const r = await readDocument(this.library.db, model, rowId, { signal, stages, onProgress: progressOf('reading', onProgress) });
      const ms = (a: number, b: number): number => Math.round(b - a);
      return {
        id,
        modelId: r.modelId,
        tokens: r.tokens,
        resumedFrom: r.resumedFrom,
        cached: r.seconds === 0,
        seconds: r.seconds,
        tokensPerSecond: r.seconds > 0 ? r.tokensPerSecond : null,
        device: r.device,
        bitsPerByte: r.bitsPerByte,
        timingsMs: { queue: ms(queued, opening), modelOpen: ms(opening, reading), tokenize: Math.round(stages.tokenizeMs), read: Math.round(r.seconds * 1000) },
      };
    }, signal);
  }

  /** Bits per byte of a read document; a reading made with the reading graph is scored first, once. */
  async score(id: string, options: ReadOptions = {}): Promise<ScoreSummary> {
    const row = this.row(id);
    const modelId = this.manifest.id;
    const reading = getReading(this.library.db, row.id, modelId);
    if (reading?.status === 'done' && !reading.scored) {
      const signal = abortSignalOf(options.signal);
      await modelRuns.run(async () => {
        const model = await this.sessions.get(this.modelDir, options.device ?? 'auto', 'full');
        await scoreDocument(this.library.db, model, row.id, { signal, onProgress: progressOf('scoring', options.onProgress) });
      }, signal);
    }
    const s = scoreFromStore(this.library.db, row.id, modelId);
    return {
      tokens: s.tokens,
      bytes: s.bytes,
      bitsPerByte: s.bits_per_byte,
      byPosition: s.by_position.map((b) => ({ from: b.from, to: b.to, bitsPerByte: b.bits_per_byte })),
    };
  }

  async search(id: string, query: string, top = 5): Promise<SearchHit[]> {
    return this.library.search(this.row(id).id, query, top).map((h) => ({
      page: h.page,
      section: h.sectionPath.length > 0 ? h.sectionPath.join(' > ') : null,
      sectionPath: h.sectionPath,
      paragraph: h.paragraph,
      quote: h.quote,
      start: h.quoteStart,
      end: h.quoteEnd,
      score: h.score,
      passageStart: h.start,
      passageEnd: h.end,
      passagePage: h.passagePage,
      passageSection: h.section,
    }));
  }

  /** One document's answer, or the whole library's when `id` is null (core/answer/). */
  async ask(id: string | null, question: string, options: AskOptions = {}): Promise<Answer> {
    const device = this.loadSettings().device;
    // The full graph's session, shared with scoring and kept open: a question does not pay the
    // model's opening (about a second on two cores).
    const session = () => this.sessions.get(this.modelDir, device, 'full');
    const core = { top: options.top, device, modelDir: this.modelDir, signal: abortSignalOf(options.signal), session };
    const rowId = id === null ? null : this.row(id).id;
    const answer = () => (rowId === null ? this.library.askAll(question, core) : this.library.ask(rowId, question, core));
    // Before any asked document is read the answer uses no model (search and structure, marked
    // partial): it does not wait behind the reading in the queue, which takes minutes for a book.
    // (library.ask decides whether to use the model before its first await, in this same tick, so
    // a reading cannot finish between the check and that decision.)
    return this.anyRead(rowId) ? modelRuns.run(answer) : answer();
  }

  /** Whether the document (every document when null) has a finished reading by this model. */
  private anyRead(rowId: number | null): boolean {
    const ids = rowId === null ? this.library.documents().map((d) => d.id) : [rowId];
    return ids.some((i) => getReading(this.library.db, i, this.manifest.id)?.status === 'done');
  }

  /** Computed once per document and stored (core/summary/). */
  async summarize(id: string, _options?: RunOptions): Promise<Summary> {
    return this.library.summary(this.row(id).id);
  }

  async close(): Promise<void> {
    await this.sessions.releaseAll();
    this.library.close();
  }

  private row(id: string): DocumentRow {
    if (typeof id !== 'string' || !SHA256.test(id)) throw new UsageError(`not a document id (64 hex digits): ${String(id).slice(0, 80)}`);
    const row = findDocumentBySha(this.library.db, id);
    if (!row) throw new DocumentNotFound(id);
    return row;
  }

  private infoOf(row: DocumentRow): DocumentInfo {
    const r = getReading(this.library.db, row.id, this.manifest.id);
    const reading: ReadingInfo | null = r && {
      modelId: r.modelId,
      status: r.status,
      tokensDone: r.tokensDone,
      tokensTotal: r.tokensTotal,
      provider: r.provider,
      scored: r.scored,
      seconds: r.seconds,
    };
    return {
      id: row.sha256,
      format: row.kind,
      title: row.title,
      author: row.author,
      pages: row.pages,
      chars: row.chars,
      bytes: row.bytes,
      fileName: row.fileName,
      addedAt: row.addedAt,
      reading,
      notes: row.notes,
    };
  }

  private added(a: CoreAddResult): AddResult {
    // Re-read: insertDocument's row is the one stored, and a cached row is current.
    const row = getDocument(this.library.db, a.row.id) ?? a.row;
    return { document: this.infoOf(row), cached: a.cached, warnings: a.warnings, timingsMs: { ingest: a.timings.ingest, index: a.timings.index } };
  }

  private addOptions(options: AddOptions): CoreAddOptions {
    const onProgress = options.onProgress;
    return {
      password: options.password,
      signal: abortSignalOf(options.signal),
      onWarning: options.onWarning,
      onProgress: (done, total, unit) =>
        onProgress?.({ stage: 'ingesting', done, total, tokensPerSecond: null, etaMs: null, ...(unit === undefined ? {} : { unit }) }),
    };
  }
}

/** A block as plain data for the API: only its own fields cross the boundary. */
function plainBlock(b: Block): DocumentBlock {
  return { kind: b.kind, level: b.level, page: b.page, start: b.start, end: b.end, text: b.text };
}

/** The core takes an AbortSignal; the API's CancelSignal is the part of one that any runtime has. */
function abortSignalOf(signal: CancelSignal | undefined): AbortSignal | undefined {
  if (signal === undefined || signal instanceof AbortSignal) return signal;
  const controller = new AbortController();
  if (signal.aborted) controller.abort(signal.reason);
  else signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  return controller.signal;
}

function progressOf(stage: Progress['stage'], onProgress: ((p: Progress) => void) | undefined): ((p: ReadProgress) => void) | undefined {
  if (!onProgress) return undefined;
  return (p) =>
    onProgress({
      stage,
      done: p.tokensDone,
      total: p.tokensTotal,
      tokensPerSecond: p.tokensPerSecond,
      etaMs: p.etaSeconds === null ? null : Math.round(p.etaSeconds * 1000),
    });
}
