// The library's schema, as an ordered list of migrations. The database's PRAGMA user_version
// is the number of migrations applied; a migration is never edited once it has shipped, only
// followed by a new one.

export interface Migration {
  /** What the migration adds, for the log and for people reading this file. */
  description: string;
  sql: string;
}

export const migrations: Migration[] = [
  // 1: documents, blocks, passages and their full-text index (owned by the store/search code).
  // 2: the model's reading: readings (progress), checkpoints (state blobs), passage outputs.
];
