/**
 * Canonical JSON: object keys sorted, no insignificant white space, undefined members left
 * out. The same value always gives the same text, on every database and Node version, so its
 * hash can be recomputed by anyone (including the offline evidence verifier).
 */
// Objects of one shape recur (a batch holds a thousand events alike): their keys are sorted
// and quoted once.
const shapes = new Map<string, Array<[string, string]>>();
const SHAPE_CACHE_LIMIT = 1_000;

function sortedKeys(keys: string[]): Array<[string, string]> {
  const shape = keys.join('\u0000');
  let sorted = shapes.get(shape);
  if (!sorted) {
    sorted = [...keys].sort().map(k => [k, JSON.stringify(k)]);
    if (shapes.size < SHAPE_CACHE_LIMIT) shapes.set(shape, sorted);
  }
  return sorted;
}

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
  let out = '{';
  for (const [k, quoted] of sortedKeys(Object.keys(record))) {
    if (record[k] === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${quoted}:${canonicalJson(record[k])}`;
  }
  return `${out}}`;
}
