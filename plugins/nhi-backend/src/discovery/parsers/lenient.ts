import type { z } from 'zod';
import { JsonItem, issueLocation, issuePath } from './json';
import { SourceParseError } from './SourceParseError';
import { ignoreWarnings, WarnFn } from './SourceWarning';

type Path = ReadonlyArray<PropertyKey>;
type Def = {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
};

const defOf = (schema: z.ZodType) =>
  (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Past the wrappers (optional, nullable, default, the input side of a transform) to the shape. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    const next = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
    if (!next) return current;
    current = next;
  }
}

/** The schema of the slot at `path`, or undefined where the path leaves what the schema knows. */
function slotAt(schema: z.ZodType, path: Path): z.ZodType | undefined {
  let slot: z.ZodType | undefined = schema;
  for (const key of path) {
    if (!slot) return undefined;
    const def = defOf(unwrap(slot));
    if (def.type === 'object') slot = def.shape?.[String(key)];
    else if (def.type === 'array') slot = def.element;
    else if (def.type === 'record') slot = def.valueType;
    else return undefined;
  }
  return slot;
}

const isListLike = (schema: z.ZodType | undefined) => {
  const type = schema && defOf(unwrap(schema)).type;
  return type === 'array' || type === 'record';
};

/**
 * Where a bad value can be let go of: the value itself when its field may be left out, else
 * the entry of a list or map holding it, else the field above, and so on. The element itself
 * (an empty path) cannot be let go of: a value that only the whole element could lose is one
 * the element means nothing without.
 */
function dropPoint(
  schema: z.ZodType,
  path: Path,
): { at: Path; entry: boolean } | undefined {
  for (let depth = path.length; depth > 0; depth--) {
    const at = path.slice(0, depth);
    if (isListLike(slotAt(schema, at.slice(0, -1)))) return { at, entry: true };
    if (slotAt(schema, at)?.safeParse(undefined).success) {
      return { at, entry: false };
    }
  }
  return undefined;
}

/** Takes the field or list entry at `path` out of a parsed value, in place. */
export function removeAt(value: unknown, path: Path) {
  let parent = value as Record<PropertyKey, unknown>;
  for (const key of path.slice(0, -1)) {
    parent = parent[key] as Record<PropertyKey, unknown>;
  }
  const last = path[path.length - 1];
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete parent[last];
}

/** Later entries first, so that removing one from a list leaves the earlier ones in place. */
const byPathDescending = (a: Path, b: Path) => {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    return typeof a[i] === 'number' && typeof b[i] === 'number'
      ? (b[i] as number) - (a[i] as number)
      : String(b[i]).localeCompare(String(a[i]));
  }
  return b.length - a.length;
};

const MAX_ROUNDS = 5;

/**
 * Reads one element of a source the way a person would trust a report: the file, not every
 * cell. A value its schema refuses in a field that may be left out becomes undefined
 * ("unknown"), and an unreadable entry of a nested list or map is left out; each such cell
 * is reported to `warn` with where and why. Only a problem that leaves the element without a
 * field it cannot do without (its id, its time) fails, as a SourceParseError naming the
 * field, as parseItem does.
 */
export function parseLenient<S extends z.ZodType>(
  schema: S,
  item: JsonItem,
  source: string,
  warn: WarnFn = ignoreWarnings,
): z.output<S> {
  let result = schema.safeParse(item.value);
  if (result.success) return result.data;
  const value = structuredClone(item.value);
  for (let round = 0; round < MAX_ROUNDS && !result.success; round++) {
    const drops: Array<{ at: Path; entry: boolean; issue: z.core.$ZodIssue }> =
      [];
    for (const issue of result.error.issues) {
      const point = dropPoint(schema, issue.path);
      if (!point) {
        throw new SourceParseError(
          source,
          issueLocation(item, issue),
          issue.message,
        );
      }
      if (!drops.some(d => issuePath(d.at) === issuePath(point.at))) {
        drops.push({ ...point, issue });
      }
    }
    drops.sort((a, b) => byPathDescending(a.at, b.at));
    for (const { at, entry, issue } of drops) {
      removeAt(value, at);
      warn({
        location: item.location,
        field: issuePath(issue.path),
        reason: entry
          ? `${issue.message}: ${issuePath(at)} left out`
          : `${issue.message}: read as unknown`,
      });
    }
    result = schema.safeParse(value);
  }
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  throw new SourceParseError(source, issueLocation(item, issue), issue.message);
}
