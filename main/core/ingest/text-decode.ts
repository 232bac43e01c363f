// Normalising decoded text. Files are decoded a piece at a time in text-source.ts.

/** `atStart`: the text begins the file, so a byte-order mark there is dropped. */
export function normalizeText(text: string, atStart = true): string {
  const unified = (atStart ? text.replace(/^\uFEFF/, '') : text).replace(/\r\n?/g, '\n').replace(/[\f\v\u2028\u2029]/g, '\n');
  return unified.normalize('NFC');
}
