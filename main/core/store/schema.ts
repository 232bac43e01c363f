// The library's schema, as an ordered list of migrations. The database's PRAGMA user_version
// is the number of migrations applied; a migration is never edited once it has shipped, only
// followed by a new one.

export interface Migration {
  /** What the migration adds, for the log and for people reading this file. */
  description: string;
  sql: string;
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
  // 2: the model's reading: readings (progress), checkpoints (state blobs), passage outputs.
];
