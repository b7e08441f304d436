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

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Whether the date written at the start of an ISO 8601 text (`YYYY-MM-DD…`) exists on the
 * calendar: `2026-02-30` does not (Date.parse makes it 2 March), `2028-02-29` does. The one
 * calendar check of every door; arithmetic only, as events check thousands a second.
 */
export function writtenDateExists(value: string): boolean {
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  if (!(month >= 1 && month <= 12 && day >= 1)) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= DAYS_IN_MONTH[month - 1] + (month === 2 && leap ? 1 : 0);
}
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
  if (!writtenDateExists(value)) {
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
  const years = [Number(value.slice(0, 4)), parsed.toUTC().year];
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
