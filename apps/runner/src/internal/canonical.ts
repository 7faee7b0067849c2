const sortKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])])
    )
  }
  return value
}

/** JSON with sorted keys, so equal values have equal text. */
export const canonicalJson = (value: unknown): string => JSON.stringify(sortKeys(value)) ?? "undefined"

/** Structural equality of JSON-like values, ignoring key order and undefined fields. */
export const sameJson = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b)
