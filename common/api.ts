// The one interface every front end uses: the CLI (over the engine client), the Electron preload
// (window.lectern, over IPC to the engine) and web mode (the same object over HTTP). Every call is
// asynchronous and takes and returns plain data (types.ts); failures reject with a LecternError
// (errors.ts). Long calls report progress through `onProgress` and stop on `signal`; a stopped read
// leaves the store consistent and resumes from its last checkpoint next time.
import type {
  Answer,
  DeviceChoice,
  DocumentInfo,
  DocumentOutline,
  DocumentText,
  EngineInfo,
  Progress,
  ReadSummary,
  ScoreSummary,
  SearchHit,
  Settings,
  Summary,
} from './types.js';

/**
 * The part of AbortSignal the API needs. Declared here because common/ is compiled with the
 * ECMAScript library only (no DOM, no Node types); both runtimes' AbortSignal fit it.
 */
export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export interface RunOptions {
  onProgress?: (p: Progress) => void;
  signal?: CancelSignal;
}

export interface AddOptions extends RunOptions {
  password?: string;
  /** Told as it happens when ingestion leaves something out (a page the parser did not finish in time). */
  onWarning?: (message: string) => void;
}

export interface AddResult {
  document: DocumentInfo;
  /** True when the same bytes were already in the library. */
  cached: boolean;
  /** What onWarning was told while this call ingested the file (none when it was cached). */
  warnings: string[];
  timingsMs: { ingest: number; index: number };
}

export interface ReadOptions extends RunOptions {
  device?: DeviceChoice;
}

export interface AskOptions extends RunOptions {
  /** How many citations at most (default 3). */
  top?: number;
}

export interface LecternApi {
  info(): Promise<EngineInfo>;
  listDocuments(): Promise<DocumentInfo[]>;
  getDocument(id: string): Promise<DocumentInfo>;
  getText(id: string): Promise<DocumentText>;
  getOutline(id: string): Promise<DocumentOutline>;
  /**
   * Characters [start, end) of the document's text (UTF-16 offsets, as blocks count them): a
   * document of hundreds of MB is read a range at a time (`lectern text`) rather than whole.
   */
  getTextRange(id: string, start: number, end: number): Promise<string>;
  /** Adds a file by its path on the engine's machine (CLI, Electron). */
  addPath(path: string, options?: AddOptions): Promise<AddResult>;
  /** Adds a file from its bytes (web mode's upload, drag and drop). */
  addBytes(fileName: string, bytes: Uint8Array, options?: AddOptions): Promise<AddResult>;
  removeDocument(id: string): Promise<void>;
  /** The model's one pass; answered from the store when already read. */
  read(id: string, options?: ReadOptions): Promise<ReadSummary>;
  score(id: string, options?: ReadOptions): Promise<ScoreSummary>;
  search(id: string, query: string, top?: number): Promise<SearchHit[]>;
  /** One document, or every document in the library when `id` is null. */
  ask(id: string | null, question: string, options?: AskOptions): Promise<Answer>;
  summarize(id: string, options?: RunOptions): Promise<Summary>;
  /** The document's original bytes (the reader renders PDFs from them). */
  getSource(id: string): Promise<Uint8Array>;
  getSettings(): Promise<Settings>;
  updateSettings(change: Partial<Settings>): Promise<Settings>;
  /** Drops every model result (readings, summaries, answers); the documents stay. */
  clearCache(): Promise<void>;
}
