// The library's schema, as an ordered list of migrations. The database's PRAGMA user_version
// is the number of migrations applied; a migration is never edited once it has shipped, only
// followed by a new one.
import type { Db } from './db.js';
import { writeText } from './document-text.js';

export interface Migration {
  /** What the migration adds, for the log and for people reading this file. */
  description: string;
  sql: string;
  /** Work SQL cannot do, run after `sql` in the same transaction. */
  run?: (db: Db) => void;
}

export const migrations: Migration[] = [
  {
    // Documents are keyed by the SHA-256 of their bytes; blocks keep only offsets (their text is
    // a slice of documents.text). The full-text index is contentless (the passage text is stored
    // once, in passages) and holds a derived body: the passage with every CJK run rewritten as
    // overlapping bigrams (text/cjk.ts), so unicode61 matches Chinese as well as English, and
    // porter conflates English word forms. A trigger keeps it in step when passages go,
    // including by cascade from documents.
    description: 'documents, blocks, passages and their full-text index',
    sql: `
      CREATE TABLE documents (
        id          INTEGER PRIMARY KEY,
        sha256      TEXT NOT NULL UNIQUE,
        kind        TEXT NOT NULL CHECK (kind IN ('pdf', 'docx', 'txt', 'md', 'epub')),
        title       TEXT NOT NULL,
        author      TEXT,
        pages       INTEGER,
        chars       INTEGER NOT NULL,
        bytes       INTEGER NOT NULL,
        file_name   TEXT,
        source_path TEXT,
        text        TEXT NOT NULL,
        added_at    TEXT NOT NULL
      );

      CREATE TABLE blocks (
        document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        ordinal     INTEGER NOT NULL,
        kind        TEXT NOT NULL CHECK (kind IN ('heading', 'paragraph', 'list', 'table')),
        level       INTEGER NOT NULL,
        page        INTEGER,
        "start"     INTEGER NOT NULL,
        "end"       INTEGER NOT NULL CHECK ("end" >= "start"),
        PRIMARY KEY (document_id, ordinal)
      ) WITHOUT ROWID;

      CREATE TABLE passages (
        id          INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        ordinal     INTEGER NOT NULL,
        "start"     INTEGER NOT NULL,
        "end"       INTEGER NOT NULL CHECK ("end" >= "start"),
        page        INTEGER,
        section     TEXT,
        text        TEXT NOT NULL,
        UNIQUE (document_id, ordinal)
      );

      CREATE VIRTUAL TABLE passages_fts USING fts5 (
        body,
        content = '',
        contentless_delete = 1,
        tokenize = 'porter unicode61 remove_diacritics 2'
      );

      CREATE TRIGGER passages_fts_delete AFTER DELETE ON passages BEGIN
        DELETE FROM passages_fts WHERE rowid = old.id;
      END;
    `,
  },
  {
    // Everything the model produces is keyed by (document_id, model_id), so a new model never
    // mixes with old results. Token offsets count the model's input stream (BOS at 0). A
    // checkpoint row carries the state after token_offset tokens and the partial sums of the
    // passages that straddle it; it is written in one transaction with the passage outputs and
    // bucket sums produced since the previous one, so a crash leaves a consistent prefix.
    description: "the model's reading: progress, checkpoints, passage outputs, bits-per-byte sums",
    sql: `
      CREATE TABLE readings (
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        model_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('reading', 'done')),
        tokens_total INTEGER NOT NULL,
        tokens_done INTEGER NOT NULL,
        seconds REAL NOT NULL DEFAULT 0,
        provider TEXT NOT NULL,
        updated_at TEXT NOT NULL DEFAULT (datetime('now')),
        PRIMARY KEY (document_id, model_id)
      );
      CREATE TABLE checkpoints (
        document_id INTEGER NOT NULL,
        model_id TEXT NOT NULL,
        token_offset INTEGER NOT NULL,
        dtype TEXT NOT NULL CHECK (dtype IN ('float32', 'float16')),
        state BLOB NOT NULL,
        open_passages BLOB NOT NULL,
        PRIMARY KEY (document_id, model_id, token_offset),
        FOREIGN KEY (document_id, model_id) REFERENCES readings(document_id, model_id) ON DELETE CASCADE
      );
      CREATE TABLE passage_outputs (
        document_id INTEGER NOT NULL,
        model_id TEXT NOT NULL,
        ordinal INTEGER NOT NULL,
        token_start INTEGER NOT NULL,
        token_end INTEGER NOT NULL,
        surprisal REAL,
        embedding BLOB NOT NULL,
        PRIMARY KEY (document_id, model_id, ordinal),
        FOREIGN KEY (document_id, model_id) REFERENCES readings(document_id, model_id) ON DELETE CASCADE
      );
      CREATE TABLE score_buckets (
        document_id INTEGER NOT NULL,
        model_id TEXT NOT NULL,
        bucket INTEGER NOT NULL,
        token_from INTEGER NOT NULL,
        token_to INTEGER,
        tokens INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        nats REAL NOT NULL,
        PRIMARY KEY (document_id, model_id, bucket),
        FOREIGN KEY (document_id, model_id) REFERENCES readings(document_id, model_id) ON DELETE CASCADE
      );
    `,
  },
  {
    // A model may read with a graph that has no vocabulary head (manifest `reader_graph`): the
    // reading then leaves bits per byte and passage surprisal for a scoring pass on demand.
    // Readings made before this migration were all scored while they read.
    description: 'whether a reading has its bits-per-byte sums and passage surprisal',
    sql: `ALTER TABLE readings ADD COLUMN scored INTEGER NOT NULL DEFAULT 1 CHECK (scored IN (0, 1));`,
  },
  {
    // The scoring pass keeps each finished segment's logprobs (a segment runs from one of the
    // reading's checkpoints to the next), so an interrupted pass continues where it stopped; the
    // rows go when the pass commits its results.
    description: "the scoring pass's finished segments",
    sql: `
      CREATE TABLE score_segments (
        document_id INTEGER NOT NULL,
        model_id TEXT NOT NULL,
        token_offset INTEGER NOT NULL,
        logprobs BLOB NOT NULL,
        PRIMARY KEY (document_id, model_id, token_offset),
        FOREIGN KEY (document_id, model_id) REFERENCES readings(document_id, model_id) ON DELETE CASCADE
      );
    `,
  },
  {
    // A PDF paragraph runs on across page breaks, and a block keeps only the page it starts on;
    // these rows say where each later page begins inside a block, so a quote cites its own page
    // (text/locate.ts). Documents stored before this migration have none and cite block pages.
    description: 'pages that begin inside a block',
    sql: `
      CREATE TABLE page_breaks (
        document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        "start"     INTEGER NOT NULL,
        page        INTEGER NOT NULL,
        PRIMARY KEY (document_id, "start", page)
      ) WITHOUT ROWID;
    `,
  },
  {
    // One process reads a document with a model at a time, across processes (two `lectern read`
    // at once, the app and the CLI): the reader holds a lease row and renews its heartbeat; the
    // others wait for the row to go, and take it over when its holder died (store/read-leases.ts).
    description: 'who is reading a document now',
    sql: `
      CREATE TABLE read_leases (
        document_id  INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        model_id     TEXT NOT NULL,
        pid          INTEGER NOT NULL,
        host         TEXT NOT NULL,
        heartbeat_ms INTEGER NOT NULL,
        PRIMARY KEY (document_id, model_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    // Ingestion says what it removed or could not read (document-notes.ts), as a JSON array kept
    // with the document, so `info` and `read` show it whenever the document is opened. Passages
    // that lie on pages whose text layer is not language (ingest/unreadable-pages.ts) stay in
    // the text, the model's reading and the token offsets, but search and answers skip them.
    // Documents added before this migration were not checked: no notes, every passage readable.
    description: "ingestion's notes on a document, and passages whose text is not language",
    sql: `
      ALTER TABLE documents ADD COLUMN ingest_notes TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(ingest_notes));
      ALTER TABLE passages ADD COLUMN unreadable INTEGER NOT NULL DEFAULT 0 CHECK (unreadable IN (0, 1));
    `,
  },
  {
    // A document's summary (summary/), computed once and kept as its JSON body. Keyed by the model
    // whose signals it used; '' when it used none (the summary of 2026-12-05 uses none, so one row
    // serves every model: SQLite would not treat NULLs in a primary key as equal). `method` is the
    // summariser's version (summarize.ts SUMMARY_METHOD): a row from an older method is made again.
    description: 'summaries, one per document and model',
    sql: `
      CREATE TABLE summaries (
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        model_id TEXT NOT NULL DEFAULT '',
        method INTEGER NOT NULL,
        body TEXT NOT NULL CHECK (json_valid(body)),
        created_at TEXT NOT NULL DEFAULT (datetime('now')),
        PRIMARY KEY (document_id, model_id)
      );
    `,
  },
  {
    // A document's text in pieces of about a MiB (store/document-text.ts) instead of one string in
    // documents.text (issue 18): a text of hundreds of MB is written while it is ingested and read
    // back by ranges. A rowid table, not WITHOUT ROWID: its rows are far larger than a page. The
    // texts already stored move into pieces here, one document at a time, and the column goes.
    description: "documents' text in pieces",
    sql: `
      CREATE TABLE document_text (
        document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        "start"     INTEGER NOT NULL,
        text        TEXT NOT NULL,
        PRIMARY KEY (document_id, "start")
      );
    `,
    run: (db) => {
      const ids = db.prepare('SELECT id FROM documents ORDER BY id').pluck().all() as number[];
      const textOf = db.prepare('SELECT text FROM documents WHERE id = ?').pluck();
      for (const id of ids) writeText(db, id, textOf.get(id) as string);
      db.exec('ALTER TABLE documents DROP COLUMN text');
    },
  },
];
