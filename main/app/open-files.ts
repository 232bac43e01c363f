// Which command-line arguments (or OS "open with" paths) are documents to add: existing files
// with one of the formats Lectern reads; switches and anything else are ignored.
import { statSync } from 'node:fs';
import { extname, resolve } from 'node:path';

export const DOCUMENT_EXTENSIONS = ['.pdf', '.docx', '.epub', '.txt', '.md'];

export function openableFiles(args: readonly string[]): string[] {
  return args
    .filter((a) => !a.startsWith('-') && DOCUMENT_EXTENSIONS.includes(extname(a).toLowerCase()))
    .map((a) => resolve(a))
    .filter((p) => {
      try {
        return statSync(p).isFile();
      } catch {
        return false;
      }
    });
}
