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

/** The shapes {@link describeValue} shows as they are: none can carry a secret. */
const HARMLESS = [
  /^[A-Za-z][A-Za-z _-]{0,7}$/,
  /^-?\d{1,4}$/,
  // Day-month-year and month-day-year dates, with a time or none: `10-19-2003`, `07/05/2026 10:03`.
  /^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}(?: \d{1,2}:\d{2}(?::\d{2})?)?$/,
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z| ?[+-]\d{2}:?\d{2})?)?$/,
];

/**
 * What a message may show of a value the parser could not read. A cell that fails its check
 * can be anything a person pasted there, a password or a bare cloud secret key included, and
 * what a message holds is stored with the run, logged and returned by the API; the secret scan
 * cannot recognise every secret (a bare 40-character AWS secret key, a password). So a value
 * is shown only when its shape cannot carry a secret:
 * - a word of the format's own closed vocabulary (`vocabulary`, compared ignoring case);
 * - a short word of letters only (at most 8 of `A-Za-z`, space, `_`, `-`): mixing letters
 *   with digits or symbols is how passwords and generated tokens look, so those never show;
 * - a small whole number (at most 4 digits), or true, false or null;
 * - a date or time shape (`2026-02-30`, `2026-05-07T08:01:55+00:00`, `10-19-2003`): digits in
 *   fixed places, too few to hide a secret in.
 * Anything else is described by its type and length only: "a value of 40 characters".
 */
export function describeValue(
  value: unknown,
  vocabulary: readonly string[] = [],
): string {
  if (value === undefined) return 'a missing value';
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    return /^-?\d{1,4}$/.test(String(value))
      ? String(value)
      : `a number of ${String(value).length} characters`;
  }
  if (Array.isArray(value)) {
    return `a list of ${value.length} entr${value.length === 1 ? 'y' : 'ies'}`;
  }
  if (typeof value === 'object') return 'an object';
  if (typeof value !== 'string') return `a ${typeof value}`;
  if (!value) return 'an empty value';
  const known = vocabulary.some(v => v.toLowerCase() === value.toLowerCase());
  if (known || HARMLESS.some(shape => shape.test(value))) {
    return JSON.stringify(value);
  }
  return `a value of ${value.length} character${value.length === 1 ? '' : 's'}`;
}

/**
 * A column or field name as a message may show it: lower-case words joined by `_`, each of
 * letters or one digit (`cert_2_expiry`), as the formats name their columns. A token cannot
 * take that shape; any other name is described as a value is.
 */
export const describeName = (name: string) =>
  name.length <= 40 && /^[a-z]+(?:_(?:[a-z]+|\d))*$/.test(name)
    ? JSON.stringify(name)
    : describeValue(name);

/**
 * A JSON or CSV library's error message without the part of the input it quotes (Node's
 * JSON.parse quotes the text around the error, csv-parse the field it could not read).
 */
export const withoutQuotedInput = (message: string) =>
  message
    // `Unexpected token 'w', ..."me": wJalrXUtnF"... is not valid JSON`: all from the quote on.
    .replace(/,? (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '')
    .replace(/,? value is ".*"$/s, '')
    .replace(/"(?:[^"\\]|\\.){2,}"/g, '(a part of the file)');

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
      message: `${describeValue(v)} is not an ISO 8601 timestamp`,
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
    error: issue =>
      `${describeValue(issue.input, values)} is not one of ${values.join(
        ', ',
      )}`,
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
