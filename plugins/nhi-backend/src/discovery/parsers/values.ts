import { z } from 'zod';
import { checkIsoDate } from '@nhi-governance/plugin-nhi-common';
import { parseTimestamp } from '../../events/eventSchema';

/**
 * A timestamp in any ISO 8601 form the sources write (`+00:00` offsets, 7 or 9 fractional
 * digits, or a bare date for day-precision labels), as UTC with milliseconds; undefined
 * when it is not one.
 */
export function toIsoUtc(value: string): string | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    // Not Date.parse: it turns 2026-02-30 into 2 March and takes year 0000.
    const day = checkIsoDate(value, { time: 'forbidden' });
    return day.ok ? new Date(day.value.toMillis()).toISOString() : undefined;
  }
  const at = parseTimestamp(value);
  return Number.isNaN(at) ? undefined : new Date(at).toISOString();
}

/** A value for an error message: quoted, and cut short so that a bad row cannot flood a log. */
export const quote = (value: unknown) => {
  // JSON.stringify(undefined) is undefined, not text: a missing value is named as such.
  const text =
    typeof value === 'string' ? value : JSON.stringify(value) ?? 'nothing';
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
};

/**
 * Go's `time.Time.String()`, which gitleaks before 8.2 and trufflehog's git sources write:
 * `2021-11-02 23:37:53 -0500 -0500`, `2022-06-16 10:17:40 -0700 PDT`, with or without the zone
 * name, fractional seconds, or the monotonic clock reading Go appends (`m=+0.01`).
 */
const GO_TIME =
  /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?) ([+-]\d{2})(\d{2})(?: [A-Za-z][\w+-]*| [+-]\d{4})?(?: m=[+-]\d+(?:\.\d+)?)?$/;

/** Go's zero time, which Go programs write for a date they do not have. */
const GO_ZERO = /^0001-01-01T00:00:00(?:\.0+)?Z$/;

/** A timestamp in ISO 8601 or Go's time.String() form, as UTC with milliseconds. */
export function readTimestamp(value: string): string | undefined {
  const go = GO_TIME.exec(value.trim());
  return toIsoUtc(go ? `${go[1]}T${go[2]}${go[3]}:${go[4]}` : value);
}

/** An ISO 8601 timestamp (or Go's time.String()), normalised to UTC with milliseconds. */
export const timestamp = () =>
  z.string({ error: 'must be an ISO 8601 timestamp' }).transform((v, ctx) => {
    const iso = readTimestamp(v);
    if (iso) return iso;
    ctx.addIssue({
      code: 'custom',
      message: `${quote(v)} is not an ISO 8601 timestamp`,
    });
    return z.NEVER;
  });

const noDate = (value: unknown) =>
  value === null ||
  value === '' ||
  (typeof value === 'string' && GO_ZERO.test(value));

/**
 * A timestamp the source may leave out, set to null or leave empty (never used, never
 * expires, no commit to date it), or set to Go's zero time, which means the same.
 */
export const optionalTimestamp = () =>
  z.preprocess(v => (noDate(v) ? undefined : v), timestamp().optional());

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
