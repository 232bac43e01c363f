// Copying a slice so that it keeps no larger string alive (issue 18).

/**
 * A string equal to `text` that shares no memory with the string it was sliced from. V8 makes a
 * slice of 13 characters or more a view of its parent, so one short title or heading sliced from
 * a book's decoded text (100 MB for 50 MiB), or from a stored MiB of it, keeps all of that alive.
 * The concatenation is flattened into a string of its own, which the slice then views.
 */
export function detach(text: string): string {
  return text.length === 0 ? text : (' ' + text).slice(1);
}
