import { DateTime } from 'luxon';

export function parseDate(value?: string): DateTime | undefined {
  if (!value) return undefined;
  const d = DateTime.fromISO(value, { zone: 'utc' });
  return d.isValid ? d : undefined;
}

export function latest(
  ...dates: Array<DateTime | undefined>
): DateTime | undefined {
  return dates
    .filter((d): d is DateTime => !!d)
    .reduce<DateTime | undefined>(
      (max, d) => (!max || d > max ? d : max),
      undefined,
    );
}

/** Whole days from `from` to `to`, rounded down. */
export function daysBetween(from: DateTime, to: DateTime): number {
  return Math.floor(to.diff(from, 'days').days);
}

export const isoDay = (d: DateTime) => d.toISODate()!;
