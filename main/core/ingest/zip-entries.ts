// A synchronous look inside a ZIP archive: the names of its entries and the content of a few
// small ones. Enough to tell a DOCX from an EPUB from a spreadsheet without unpacking anything;
// the real parsing (jszip, mammoth) happens later, in the ingester.
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localHeaderOffset: number;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_DIRECTORY = 0x06054b50;

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && readU32(bytes, 0) === LOCAL_HEADER;
}

/**
 * The archive's entries from its central directory; when that is missing or damaged (a
 * truncated download), from the local headers found by scanning.
 */
export function listZipEntries(bytes: Uint8Array): ZipEntry[] {
  return fromCentralDirectory(bytes) ?? fromLocalHeaders(bytes);
}

/** The uncompressed bytes of a small entry, or null when they cannot be had. */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntry, maxBytes = 1 << 20): Uint8Array | null {
  const at = entry.localHeaderOffset;
  if (at + 30 > bytes.length || readU32(bytes, at) !== LOCAL_HEADER) return null;
  const start = at + 30 + readU16(bytes, at + 26) + readU16(bytes, at + 28);
  const end = start + entry.compressedSize;
  if (end > bytes.length || entry.compressedSize > maxBytes * 4) return null;
  const data = bytes.subarray(start, end);
  try {
    if (entry.method === 0) return data.length <= maxBytes ? data : null;
    if (entry.method === 8) return new Uint8Array(inflateRawSync(data, { maxOutputLength: maxBytes }));
  } catch {
    return null;
  }
  return null;
}

function fromCentralDirectory(bytes: Uint8Array): ZipEntry[] | null {
  const eocd = findEndOfDirectory(bytes);
  if (eocd < 0) return null;
  const count = readU16(bytes, eocd + 10);
  let at = readU32(bytes, eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || readU32(bytes, at) !== CENTRAL_HEADER) return entries.length > 0 ? entries : null;
    const nameLength = readU16(bytes, at + 28);
    const extraLength = readU16(bytes, at + 30);
    const commentLength = readU16(bytes, at + 32);
    entries.push({
      name: decodeName(bytes.subarray(at + 46, at + 46 + nameLength)),
      method: readU16(bytes, at + 10),
      compressedSize: readU32(bytes, at + 20),
      localHeaderOffset: readU32(bytes, at + 42),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function findEndOfDirectory(bytes: Uint8Array): number {
  // The record is 22 bytes plus a comment of at most 65535.
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let at = bytes.length - 22; at >= lowest; at--) {
    if (readU32(bytes, at) === END_OF_DIRECTORY) return at;
  }
  return -1;
}

function fromLocalHeaders(bytes: Uint8Array): ZipEntry[] {
  const entries: ZipEntry[] = [];
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const signature = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
  let at = buffer.indexOf(signature, 0);
  while (at >= 0 && at + 30 <= bytes.length) {
    const nameLength = readU16(bytes, at + 26);
    const compressedSize = readU32(bytes, at + 18);
    entries.push({
      name: decodeName(bytes.subarray(at + 30, at + 30 + nameLength)),
      method: readU16(bytes, at + 8),
      compressedSize,
      localHeaderOffset: at,
    });
    at = buffer.indexOf(signature, at + 30 + nameLength);
  }
  return entries;
}

function decodeName(raw: Uint8Array): string {
  return new TextDecoder('utf-8').decode(raw);
}

function readU16(bytes: Uint8Array, at: number): number {
  return at + 2 <= bytes.length ? bytes[at] | (bytes[at + 1] << 8) : 0;
}

function readU32(bytes: Uint8Array, at: number): number {
  return at + 4 <= bytes.length ? (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16)) + bytes[at + 3] * 0x1000000 : 0;
}
