/**
 * Canonical JSON: object keys sorted, no insignificant white space, undefined members left
 * out. The same value always gives the same text, on every database and Node version, so its
 * hash can be recomputed by anyone (including the offline evidence verifier).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new TypeError(
        'canonical JSON has no representation for a non-finite number',
      );
    }
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value
      .map(v => (v === undefined ? 'null' : canonicalJson(v)))
      .join(',')}]`;
  }
  const members = Object.keys(value)
    .filter(k => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map(
      k =>
        `${JSON.stringify(k)}:${canonicalJson(
          (value as Record<string, unknown>)[k],
        )}`,
    );
  return `{${members.join(',')}}`;
}
