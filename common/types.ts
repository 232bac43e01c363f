// The data every front end sees (CLI, Electron renderer, web mode): plain, camelCase, JSON-safe
// values only (no class instances, no Dates, no typed arrays), so the same objects cross a worker
// boundary, Electron IPC and HTTP unchanged. Documents are named by the SHA-256 of their bytes.

export type DocumentFormat = 'pdf' | 'docx' | 'txt' | 'md' | 'epub';
/** What a document is, for the summary's key facts; 'other' when nothing fits. */
export type DocumentGenre = 'contract' | 'law' | 'paper' | 'book' | 'novel' | 'other';
export type Language = 'en' | 'zh';
export type DeviceChoice = 'auto' | 'cpu' | 'gpu';

export interface ReadingInfo {
  modelId: string;
  status: 'reading' | 'done';
  tokensDone: number;
  tokensTotal: number;
  provider: string;
  scored: boolean;
  /** Seconds spent reading, summed over every session that worked on it. */
  seconds: number;
}

export interface DocumentInfo {
  /** SHA-256 of the file's bytes, lower-case hex: the document's identity everywhere. */
  id: string;
  format: DocumentFormat;
  title: string;
  author: string | null;
  /** Physical pages for paged formats (PDF), else null. */
  pages: number | null;
  chars: number;
  bytes: number;
  fileName: string | null;
  /** ISO 8601, UTC. */
  addedAt: string;
  /** The default model's reading of it; null before the first read. */
  reading: ReadingInfo | null;
  /** What ingestion did that the reader should know (text removed, unreadable pages), each with its message. */
  notes: DocumentNote[];
}

/** A note stored with a document at ingestion (core/document-notes.ts's IngestNote, as plain data). */
export type DocumentNote =
  | {
      code: 'boilerplate-removed';
      message: string;
      /** Before the first "*** START OF" line or after the last "*** END OF" line. */
      where: 'start' | 'end';
      /** Characters removed (UTF-16 code units of the LF-normalised text). */
      chars: number;
      /** The removed lines, 1-based and inclusive, in the file's own numbering. */
      lines: [number, number];
    }
  | {
      code: 'unreadable-pages';
      message: string;
      /** 1-based pages whose extracted text is not language (left out of search and answers). */
      pages: number[];
    };

export interface DocumentBlock {
  kind: 'heading' | 'paragraph' | 'list' | 'table';
  level: number;
  page: number | null;
  /** Offsets into the document text (UTF-16 code units). */
  start: number;
  end: number;
  text: string;
}

/** What a document is made of, without its text: `lectern info` of a 50 MiB book copied 100 MB of text across the engine's thread for a count and its headings. */
export interface DocumentOutline {
  id: string;
  /** The document's language as answers judge it: a question in the other script is refused. */
  language: 'en' | 'zh';
  /** Paragraphs, headings, lists and tables. */
  blocks: number;
  headings: DocumentBlock[];
}

export interface DocumentText {
  id: string;
  title: string;
  pages: number | null;
  blocks: DocumentBlock[];
  /** The whole text, blocks joined by a blank line; block offsets index into it. */
  text: string;
  /** Pages that begin inside a block (a paragraph running on across a page break): where, and which. */
  pageBreaks: { start: number; page: number }[];
}

/** 'waiting': another process is reading the document; this read takes its result or resumes it. */
export type ProgressStage = 'ingesting' | 'indexing' | 'waiting' | 'reading' | 'scoring' | 'summarizing';

export interface Progress {
  stage: ProgressStage;
  done: number;
  total: number;
  /** Model stages only; null elsewhere. */
  tokensPerSecond: number | null;
  /** Estimated time left; null until it can be estimated. */
  etaMs: number | null;
  /** What done and total count when it is not the stage's usual unit ("KiB read", "passages indexed"). */
  unit?: string;
  /** What a person should know about this stage ("another lectern process (pid 12) is reading it"). */
  message?: string;
}

export interface DeviceInfo {
  requested: DeviceChoice;
  /** The execution provider in use: 'cpu', 'webgpu', 'dml', 'coreml', 'cuda'. */
  provider: string;
  fallbackReason: string | null;
}

export interface ReadSummary {
  id: string;
  modelId: string;
  tokens: number;
  /** The stream position the reading continued from (0 for a fresh read; tokens when cached). */
  resumedFrom: number;
  cached: boolean;
  seconds: number;
  tokensPerSecond: number | null;
  device: DeviceInfo;
  bitsPerByte: number | null;
  /**
   * Where this call's time went, in ms: waiting for the model (another pass running), opening
   * its session (0 when open), tokenizing the text, and the pass itself (`seconds`).
   */
  timingsMs: { queue: number; modelOpen: number; tokenize: number; read: number };
}

export interface ScoreSummary {
  tokens: number;
  bytes: number;
  bitsPerByte: number;
  byPosition: { from: number; to: number | null; bitsPerByte: number }[];
}

/**
 * Where a quote sits. `page` for paged documents; `section` (the heading path) and `paragraph`
 * (1-based, within the section) for documents without pages. `start`/`end` are the quote's own
 * offsets into the document text; a quote that crosses a page break cites the page it starts on.
 */
export interface Citation {
  /** Present when the citation is shown across documents (ask across the library). */
  documentId?: string;
  page: number | null;
  section: string | null;
  paragraph: number | null;
  quote: string;
  start: number;
  end: number;
  /** Higher is better; comparable only within one answer. */
  score: number;
}

export interface SearchHit extends Citation {
  /** The quote's heading path, outermost first (`section` is it joined by ' > '). */
  sectionPath: string[];
  /** The passage the quote came from (offsets into the document text), its first page and section. */
  passageStart: number;
  passageEnd: number;
  passagePage: number | null;
  passageSection: string | null;
}

export interface Answer {
  question: string;
  /** False when nothing in the document supports an answer. */
  found: boolean;
  /** The document's own sentence(s); null when not found. */
  answer: string | null;
  /** Why nothing was found, for the user ("no passage mentions …"); null when found. */
  reason: string | null;
  citations: Citation[];
  /** True when the answer is not the whole pipeline's: `basis` says what it used. */
  partial: boolean;
  /**
   * What the answer rests on: 'model', the ranked sentences with the model's signals; 'structure',
   * the ranked sentences without them (the model has not finished reading the document);
   * 'search', full-text search's passages alone (the document is too long to rank its sentences).
   */
  basis: 'model' | 'structure' | 'search';
  timingsMs: Record<string, number>;
}

export interface SummarySentence {
  text: string;
  citation: Citation;
}

export interface SummaryFact {
  /** A stable key (`parties`, `governing-law`, `authors`, …) and its label in the UI language. */
  key: string;
  label: string;
  value: string;
  citation: Citation | null;
}

export interface OutlineEntry {
  heading: string;
  level: number;
  page: number | null;
  start: number;
  sentences: SummarySentence[];
}

export interface Summary {
  id: string;
  modelId: string | null;
  title: string;
  genre: DocumentGenre;
  overview: SummarySentence[];
  outline: OutlineEntry[];
  facts: SummaryFact[];
  cached: boolean;
}

export interface ModelInfo {
  id: string;
  trained: boolean;
  parameters: number | null;
  dir: string;
}

export interface EngineInfo {
  version: string;
  model: ModelInfo;
  /** Execution providers this machine offers, best first ('webgpu', …, 'cpu'). */
  providers: string[];
  libraryPath: string;
}

/** What the user chose in Settings; kept by the engine beside the library. */
export interface Settings {
  /** The compute device reads use when a call names none. */
  device: DeviceChoice;
  /** Where the library file lives; a change takes effect at the next start. */
  libraryPath: string;
}
