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
  // Loops rather than map/filter/join: every ledger entry is hashed through here.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += value[i] === undefined ? 'null' : canonicalJson(value[i]);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const k of keys) {
    if (record[k] === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(k)}:${canonicalJson(record[k])}`;
  }
  return `${out}}`;
}
