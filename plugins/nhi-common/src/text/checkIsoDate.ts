import { DateTime } from 'luxon';
import { TEXT_LIMITS } from './limits';

export interface CheckIsoDateOptions {
  /** `required`: a date and a time; `optional`: either (default); `forbidden`: a date alone. */
  time?: 'required' | 'optional' | 'forbidden';
  /** The message for a text that is not in the expected form; each door words its own. */
  formatMessage?: string;
}

export type IsoDateCheck =
  | { ok: true; value: DateTime }
  | { ok: false; problem: 'format' | 'calendar' | 'range'; reason: string };

const FORMS = {
  required: /^\d{4}-\d{2}-\d{2}T/,
  optional: /^\d{4}-\d{2}-\d{2}(?:$|T)/,
  forbidden: /^\d{4}-\d{2}-\d{2}$/,
};

const { earliestYear, latestYear } = TEXT_LIMITS;
export const YEAR_RANGE_REASON = `must fall in the years ${earliestYear} to ${latestYear}`;

/**
 * Checks an ISO 8601 date (`2026-12-31`) or date and time (`2026-12-31T10:00:00Z`) with luxon:
 * the date must exist on the calendar (no 30 February; `Date.parse` would silently make it
 * 2 March), the time must exist, and the year, as written and in UTC, must be in
 * {@link TEXT_LIMITS}. Reasons never repeat the value.
 */
export function checkIsoDate(
  value: string,
  options: CheckIsoDateOptions = {},
): IsoDateCheck {
  const time = options.time ?? 'optional';
  const formatMessage =
    options.formatMessage ??
    (time === 'forbidden'
      ? 'must be an ISO 8601 date such as 2026-12-31'
      : 'must be an ISO 8601 date or time such as 2026-12-31T10:00:00Z');
  if (!FORMS[time].test(value)) {
    return { ok: false, problem: 'format', reason: formatMessage };
  }
  const day = DateTime.fromISO(value.slice(0, 10), { zone: 'utc' });
  if (!day.isValid) {
    return {
      ok: false,
      problem: 'calendar',
      reason: 'must be a date that exists on the calendar',
    };
  }
  const parsed = DateTime.fromISO(value, { zone: 'utc', setZone: true });
  if (!parsed.isValid) {
    return parsed.invalidReason === 'unit out of range'
      ? {
          ok: false,
          problem: 'calendar',
          reason: 'must be a time that exists (hours 0 to 23, minutes 0 to 59)',
        }
      : { ok: false, problem: 'format', reason: formatMessage };
  }
  const years = [day.year, parsed.toUTC().year];
  if (years.some(y => y < earliestYear || y > latestYear)) {
    return { ok: false, problem: 'range', reason: YEAR_RANGE_REASON };
  }
  return { ok: true, value: parsed };
}

/** The reason an ISO date is refused, or undefined: for zod refinements. */
export const isoDateProblem = (
  value: string,
  options: CheckIsoDateOptions = {},
): string | undefined => {
  const checked = checkIsoDate(value, options);
  return checked.ok ? undefined : checked.reason;
};
