import { z } from 'zod';
import { parseTimestamp } from '../../events/eventSchema';

/**
 * A timestamp in any ISO 8601 form the sources write (`+00:00` offsets, 7 or 9 fractional
 * digits, or a bare date for day-precision labels), as UTC with milliseconds; undefined
 * when it is not one.
 */
export function toIsoUtc(value: string): string | undefined {
  const at = /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? Date.parse(`${value}T00:00:00Z`)
    : parseTimestamp(value);
  return Number.isNaN(at) ? undefined : new Date(at).toISOString();
}

/** A value for an error message: quoted, and cut short so that a bad row cannot flood a log. */
export const quote = (value: unknown) => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
};

/** An ISO 8601 timestamp, normalised to UTC with milliseconds. */
export const timestamp = () =>
  z.string({ error: 'must be an ISO 8601 timestamp' }).transform((v, ctx) => {
    const iso = toIsoUtc(v);
    if (iso) return iso;
    ctx.addIssue({
      code: 'custom',
      message: `${quote(v)} is not an ISO 8601 timestamp`,
    });
    return z.NEVER;
  });

/** A timestamp the source may leave out or set to null (never used, never expires). */
export const optionalTimestamp = () =>
  timestamp()
    .nullish()
    .transform(v => v ?? undefined);

/** One of a documented set of values; an unknown one names itself and the set. */
export const oneOf = <const T extends readonly [string, ...string[]]>(
  values: T,
) =>
  z.enum(values, {
    error: issue => `${quote(issue.input)} is not one of ${values.join(', ')}`,
  });

/** Text the source may leave out, set to null or leave empty. */
export const optionalText = () =>
  z
    .string({ error: 'must be text' })
    .nullish()
    .transform(v => v || undefined);

/** A flat permission map (`{ contents: 'write' }`) as scopes (`contents:write`). */
export const scopesOf = (
  permissions: Record<string, string> | undefined,
  prefix = '',
): string[] =>
  Object.entries(permissions ?? {}).map(
    ([name, level]) => `${prefix}${name}:${level}`,
  );
