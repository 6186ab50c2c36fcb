/**
 * A lookup table without a prototype: a name read from a document (`\constructor`,
 * `month = toString`) finds nothing instead of an Object method.
 */
export function lookupTable<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}
