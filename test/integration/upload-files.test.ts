// Uploads (web mode's addBytes) are kept in the library's files/<sha256>/ folder so the reader can
// show the original; removing the document deletes them once no document refers to them, a
// refused upload leaves nothing behind, and a document added by its path keeps its original.
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LibraryService } from '../../main/engine/service.js';
import { fixture } from '../support/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'lectern-uploads-'));
const files = join(dir, 'files');
const service = new LibraryService({ dbPath: join(dir, 'library.sqlite') });

afterAll(async () => {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('stored uploads', () => {
  it('deletes an upload\'s stored file when its document is removed', async () => {
    const bytes = readFileSync(fixture('licenses/MPL-2.0.txt'));
    const added = await service.addBytes('MPL-2.0.txt', bytes);
    const stored = join(files, sha(bytes), 'MPL-2.0.txt');
    expect(existsSync(stored)).toBe(true);
    // The same bytes under another name are the same document, kept under its first name.
    const again = await service.addBytes('copy of the licence.txt', bytes);
    expect(again.cached).toBe(true);
    expect(again.document.id).toBe(added.document.id);
    expect((await service.getSource(added.document.id)).byteLength).toBe(bytes.byteLength);

    await service.removeDocument(added.document.id);
    expect(existsSync(join(files, sha(bytes)))).toBe(false);
    expect(await service.listDocuments()).toEqual([]);
  });

  it('removing one document leaves the other documents\' stored files', async () => {
    const bytes = readFileSync(fixture('contracts/series-seed-term-sheet.md'));
    const upload = await service.addBytes('term-sheet.md', bytes);
    const stored = join(files, sha(bytes), 'term-sheet.md');
    const other = readFileSync(fixture('contracts/series-seed-preferred-stock-investment-agreement.md'));
    const otherUpload = await service.addBytes('agreement.md', other);
    await service.removeDocument(otherUpload.document.id);
    expect(existsSync(join(files, sha(other)))).toBe(false);
    expect(existsSync(stored)).toBe(true);
    expect((await service.getSource(upload.document.id)).byteLength).toBe(bytes.byteLength);
    await service.removeDocument(upload.document.id);
    expect(existsSync(stored)).toBe(false);
  });

  it('leaves no stored file for an upload it refuses', async () => {
    const bytes = new TextEncoder().encode('%PDF-1.7\nnot really a PDF\n');
    await expect(service.addBytes('broken.pdf', bytes)).rejects.toThrow();
    expect(existsSync(join(files, sha(bytes)))).toBe(false);
    expect(await service.listDocuments()).toEqual([]);
  });

  it('never deletes the original of a document added by its path', async () => {
    const original = join(dir, 'outside.txt');
    copyFileSync(fixture('licenses/MPL-2.0.txt'), original);
    const added = await service.addPath(original);
    // Uploading the same bytes finds the document added by path: the upload's copy is not kept.
    const bytes = readFileSync(original);
    expect((await service.addBytes('MPL.txt', bytes)).cached).toBe(true);
    expect(existsSync(join(files, sha(bytes)))).toBe(false);
    await service.removeDocument(added.document.id);
    expect(readFileSync(original).equals(bytes)).toBe(true);
    expect(readdirSync(dir)).toContain('outside.txt');
  });
});
