// How the screen walks an item's strings and names where each one is.

/** A step of a path into an item: a field name or a list index. */
export type Key = string | number;

/** A path as warnings name a field: `scopes[2]`, `findings[0].detail`. */
export const pathText = (keys: Key[]) =>
  keys
    .map(k => (typeof k === 'number' ? `[${k}]` : `.${k}`))
    .join('')
    .replace(/^\./, '');

/**
 * Where a refused text goes: the field itself at the top of the item, or the entry of a list
 * that holds it (a scope, a finding), so that the rest of the list is kept.
 */
export function dropPoint(keys: Key[]): Key[] {
  const entry = keys.findIndex(k => typeof k === 'number');
  return entry === -1 ? keys.slice(0, 1) : keys.slice(0, entry + 1);
}

/**
 * Calls `visit` with every string of a value and its path under the item, depth first. The
 * path array is the walker's own: a visitor that keeps it copies it.
 */
export function eachString(
  value: unknown,
  visit: (keys: Key[], text: string) => void,
  keys: Key[] = [],
) {
  if (typeof value === 'string') {
    visit(keys, value);
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      keys.push(i);
      eachString(value[i], visit, keys);
      keys.pop();
    }
  } else if (value && typeof value === 'object') {
    for (const k of Object.keys(value)) {
      keys.push(k);
      eachString((value as Record<string, unknown>)[k], visit, keys);
      keys.pop();
    }
  }
}

/** Writes a string at a path that holds one. */
export function setAt(item: object, keys: Key[], value: string) {
  let parent = item as Record<Key, unknown>;
  for (const key of keys.slice(0, -1))
    parent = parent[key] as Record<Key, unknown>;
  parent[keys[keys.length - 1]] = value;
}
