import { DateTime, Duration } from 'luxon';

/** Names for periods of whole months that divide a year. */
const NAMED: Record<number, (start: DateTime, index: number) => string> = {
  1: start => start.toFormat('yyyy-MM'),
  3: (start, index) => `${start.year}-Q${index}`,
  6: (start, index) => `${start.year}-H${index}`,
  12: start => `${start.year}`,
};

/**
 * The review period `now` falls in for a cadence, and its name: `2026-Q4` for a quarterly
 * cadence, `2026-11` monthly, `2026-H2`, `2026`; `2026-P2M-6` for other whole-month cadences
 * that divide a year; otherwise periods of the cadence's length counted from 1970-01-01,
 * named by their first day (`P90D-2026-09-04` for 2026-11-29).
 */
export function reviewPeriod(
  cadence: Duration,
  now: DateTime,
): { name: string; start: DateTime } {
  const utc = now.toUTC();
  const units = cadence.toObject();
  const m = (units.years ?? 0) * 12 + (units.months ?? 0);
  const monthsOnly = Object.entries(units).every(
    ([unit, value]) => unit === 'years' || unit === 'months' || !value,
  );
  if (monthsOnly && m > 0 && 12 % m === 0) {
    const index = Math.floor((utc.month - 1) / m) + 1;
    const start = utc.startOf('year').plus({ months: (index - 1) * m });
    const name = NAMED[m]?.(start, index) ?? `${utc.year}-P${m}M-${index}`;
    return { name, start };
  }
  const days = Math.max(1, Math.round(cadence.as('days')));
  const epoch = DateTime.fromMillis(0, { zone: 'utc' });
  const count = Math.floor(utc.diff(epoch, 'days').days / days);
  const start = epoch.plus({ days: count * days });
  return { name: `P${days}D-${start.toISODate()}`, start };
}
