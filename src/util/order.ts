// Deterministic ordering: captures sort their maps and lists by code-unit order, whatever the locale.

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A plain object with the entries' keys in sorted order (JSON keeps insertion order). */
export function sortedRecord<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  return Object.fromEntries([...entries].sort(([a], [b]) => compareStrings(a, b)));
}
