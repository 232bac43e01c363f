// Normalising decoded text, and copying a slice so that it keeps no larger string alive. Files
// are decoded a piece at a time in text-source.ts.

/** `atStart`: the text begins the file, so a byte-order mark there is dropped. */
export function normalizeText(text: string, atStart = true): string {
  const unified = (atStart ? text.replace(/^\uFEFF/, '') : text).replace(/\r\n?/g, '\n').replace(/[\f\v\u2028\u2029]/g, '\n');
  return unified.normalize('NFC');
}

/**
 * A string equal to `text` that shares no memory with the string it was sliced from. V8 makes a
 * slice of 13 characters or more a view of its parent, so one short title or paragraph sliced
 * from a book's decoded text keeps all of it (100 MB for 50 MiB) alive (issue 18). The
 * concatenation is flattened into a string of its own, which the slice then views.
 */
export function detach(text: string): string {
  return text.length === 0 ? text : (' ' + text).slice(1);
}
