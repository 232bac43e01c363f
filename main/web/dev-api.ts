// TEMPORARY, replaced at merge by `createEngineClient()` from main/engine/ (issue 19): the
// existing Library adapted to LecternApi so that web mode and the renderer can be built and
// tested before the engine lands. Ask and summary are the Library's (issue 20).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import type { AddOptions, AddResult, AskOptions, CancelSignal, LecternApi, ReadOptions, RunOptions } from '../../common/api.js';
import { LecternError, type ErrorCode } from '../../common/errors.js';
import type { Answer, DocumentInfo, DocumentText, EngineInfo, SearchHit, Settings, Summary } from '../../common/types.js';
import { Cancelled, InputRejected, UsageError } from '../core/errors.js';
import { Library } from '../core/library.js';
import { defaultModelDir } from '../core/model/default-model.js';
import { loadManifest } from '../core/model/manifest.js';
import { DocumentNotFound, findDocumentBySha, type DocumentRow } from '../core/store/documents.js';

function toLecternError(e: unknown): LecternError {
  if (e instanceof LecternError) return e;
  if (e instanceof InputRejected) return new LecternError(e.reason as ErrorCode, e.message);
  if (e instanceof UsageError) return new LecternError('usage', e.message);
  if (e instanceof Cancelled) return new LecternError('cancelled', e.message);
  if (e instanceof DocumentNotFound) return new LecternError('not-found', e.message);
  return new LecternError('internal', e instanceof Error ? e.message : String(e));
}

async function mapErrors<T>(f: () => Promise<T> | T): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw toLecternError(e);
  }
}

function abortSignalOf(s: CancelSignal | undefined): AbortSignal | undefined {
  if (s === undefined) return undefined;
  const c = new AbortController();
  if (s.aborted) c.abort(new Cancelled());
  else s.addEventListener('abort', () => c.abort(new Cancelled()), { once: true });
  return c.signal;
}

export class DevApi implements LecternApi {
  private readonly library: Library;
  private readonly filesDir: string;
  private readonly settingsFile: string;

  constructor(dbPath: string) {
    mkdirSync(dirname(dbPath), { recursive: true });
    this.library = Library.open(dbPath);
    this.filesDir = join(dirname(dbPath), 'files');
    this.settingsFile = `${dbPath}.settings.json`;
  }

  close(): void {
    this.library.close();
  }

  private row(id: string): DocumentRow {
    const row = findDocumentBySha(this.library.db, id);
    if (row === null) throw new LecternError('not-found', `no document ${id.slice(0, 12)} in the library`);
    return row;
  }

  private toInfo(row: DocumentRow): DocumentInfo {
    const r = this.library.reading(row.id);
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
      reading: r && { modelId: r.modelId, status: r.status, tokensDone: r.tokensDone, tokensTotal: r.tokensTotal, provider: r.provider, scored: r.scored },
      warnings: row.notes.map((n) => n.message),
    };
  }

  info(): Promise<EngineInfo> {
    return mapErrors(() => {
      const dir = defaultModelDir();
      const m = loadManifest(dir);
      return { version: '0.1.0', model: { id: m.id, trained: m.trained, parameters: null, dir }, providers: ['cpu'], libraryPath: this.library.dbPath };
    });
  }

  listDocuments(): Promise<DocumentInfo[]> {
    return mapErrors(() => this.library.documents().map((r) => this.toInfo(r)));
  }

  getDocument(id: string): Promise<DocumentInfo> {
    return mapErrors(() => this.toInfo(this.row(id)));
  }

  getText(id: string): Promise<DocumentText> {
    return mapErrors(() => {
      const row = this.row(id);
      const doc = this.library.document(row.id);
      return { id, title: doc.title, pages: doc.pages, blocks: doc.blocks.map((b) => ({ kind: b.kind, level: b.level, page: b.page, start: b.start, end: b.end, text: b.text })) };
    });
  }

  addPath(path: string, options: AddOptions = {}): Promise<AddResult> {
    return mapErrors(async () => {
      const r = await this.library.add(path, {
        password: options.password,
        signal: abortSignalOf(options.signal),
        onProgress: (done, total) => options.onProgress?.({ stage: 'ingesting', done, total, tokensPerSecond: null, etaMs: null }),
      });
      return { document: this.toInfo(r.row), cached: r.cached, timingsMs: r.timings };
    });
  }

  /** Keeps the bytes under the library's files/ folder (named by their hash): the reader shows them from there. */
  addBytes(fileName: string, bytes: Uint8Array, options: AddOptions = {}): Promise<AddResult> {
    return mapErrors(() => {
      const sha = createHash('sha256').update(bytes).digest('hex');
      const dir = join(this.filesDir, sha);
      mkdirSync(dir, { recursive: true });
      const safeName = fileName.replace(/[/\\\0]/g, '_').slice(-200) || `document${extname(fileName)}`;
      const path = join(dir, safeName);
      if (!existsSync(path)) writeFileSync(path, bytes);
      return this.addPath(path, options);
    });
  }

  removeDocument(id: string): Promise<void> {
    return mapErrors(() => {
      const row = this.row(id);
      this.library.db.prepare('DELETE FROM documents WHERE id = ?').run(row.id);
    });
  }

  read(id: string, options: ReadOptions = {}) {
    return mapErrors(async () => {
      const row = this.row(id);
      const started = this.library.reading(row.id);
      const r = await this.library.read(row.id, {
        device: options.device ?? this.loadSettings().device,
        signal: abortSignalOf(options.signal),
        onProgress: (p) =>
          options.onProgress?.({ stage: 'reading', done: p.tokensDone, total: p.tokensTotal, tokensPerSecond: p.tokensPerSecond, etaMs: p.etaSeconds === null ? null : p.etaSeconds * 1000 }),
      });
      return { id, modelId: r.modelId, tokens: r.tokens, resumedFrom: r.resumedFrom, cached: started?.status === 'done', seconds: r.seconds, tokensPerSecond: r.tokensPerSecond, device: r.device, bitsPerByte: r.bitsPerByte };
    });
  }

  score(id: string, options: ReadOptions = {}) {
    return mapErrors(async () => {
      const s = await this.library.score(this.row(id).id, { device: options.device, signal: abortSignalOf(options.signal) });
      return { tokens: s.tokens, bytes: s.bytes, bitsPerByte: s.bits_per_byte, byPosition: s.by_position.map((b) => ({ from: b.from, to: b.to, bitsPerByte: b.bits_per_byte })) };
    });
  }

  /** A citation names the page its quote starts on (common/types.ts), as Library.search locates it. */
  search(id: string, query: string, top = 5): Promise<SearchHit[]> {
    return mapErrors(() =>
      this.library.search(this.row(id).id, query, top).map((h) => ({
        page: h.page,
        section: h.sectionPath.length > 0 ? h.sectionPath.join(' › ') : h.section,
        paragraph: h.paragraph,
        quote: h.quote,
        start: h.quoteStart,
        end: h.quoteEnd,
        score: h.score,
        passageStart: h.start,
        passageEnd: h.end,
      })),
    );
  }

  ask(id: string | null, question: string, options: AskOptions = {}): Promise<Answer> {
    return mapErrors(() => {
      const device = this.loadSettings().device;
      return id === null ? this.library.askAll(question, { top: options.top, device }) : this.library.ask(this.row(id).id, question, { top: options.top, device });
    });
  }

  summarize(id: string, _options?: RunOptions): Promise<Summary> {
    return mapErrors(() => this.library.summary(this.row(id).id));
  }

  getSource(id: string): Promise<Uint8Array> {
    return mapErrors(async () => {
      const row = this.library.db.prepare('SELECT source_path FROM documents WHERE sha256 = ?').get(id) as { source_path: string | null } | undefined;
      if (!row?.source_path) throw new LecternError('not-found', 'the original file of this document is not kept');
      return new Uint8Array(await readFile(row.source_path));
    });
  }

  private loadSettings(): Settings {
    const defaults: Settings = { device: 'auto', libraryPath: this.library.dbPath };
    if (!existsSync(this.settingsFile)) return defaults;
    return { ...defaults, ...(JSON.parse(readFileSync(this.settingsFile, 'utf8')) as Partial<Settings>) };
  }

  getSettings(): Promise<Settings> {
    return mapErrors(() => this.loadSettings());
  }

  updateSettings(change: Partial<Settings>): Promise<Settings> {
    return mapErrors(() => {
      const next = { ...this.loadSettings(), ...change };
      writeFileSync(this.settingsFile, JSON.stringify(next, null, 2));
      return next;
    });
  }

  clearCache(): Promise<void> {
    return mapErrors(() => {
      this.library.db.exec('DELETE FROM readings; DELETE FROM summaries');
    });
  }
}
