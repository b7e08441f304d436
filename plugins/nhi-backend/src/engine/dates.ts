import { DateTime, Duration } from 'luxon';

const DAY_MS = 86_400_000;

// A population shares few distinct dates (days, mostly), and luxon's parsing and calendar
// arithmetic dominate the engine's cost; caching them keeps a full recompute fast. The caches
// are bounded so that a long-running backend does not grow them without end.
const CACHE_LIMIT = 50_000;
const parsed = new Map<string, DateTime | null>();
const added = new WeakMap<Duration, Map<number, DateTime>>();

function remember<K, V>(cache: Map<K, V>, key: K, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

export function parseDate(value?: string): DateTime | undefined {
  if (!value) return undefined;
  let d = parsed.get(value);
  if (d === undefined) {
    const fresh = DateTime.fromISO(value, { zone: 'utc' });
    d = remember(parsed, value, fresh.isValid ? fresh : null);
  }
  return d ?? undefined;
}

/** `date` plus a calendar duration (months and years are calendar months and years). */
export function plus(date: DateTime, duration: Duration): DateTime {
  let byDate = added.get(duration);
  if (!byDate) {
    byDate = new Map();
    added.set(duration, byDate);
  }
  const key = date.toMillis();
  return byDate.get(key) ?? remember(byDate, key, date.plus(duration));
}

export function latest(
  ...dates: Array<DateTime | undefined>
): DateTime | undefined {
  let max: DateTime | undefined;
  for (const d of dates) if (d && (!max || d > max)) max = d;
  return max;
}

/** Whole days from `from` to `to`, rounded down. All dates are UTC, so a day is 24 hours. */
export function daysBetween(from: DateTime, to: DateTime): number {
  return Math.floor((to.toMillis() - from.toMillis()) / DAY_MS);
}

const days = new Map<number, string>();
export function isoDay(d: DateTime): string {
  const ms = d.toMillis();
  return (
    days.get(ms) ?? remember(days, ms, new Date(ms).toISOString().slice(0, 10))
  );
}

const durationDays = new WeakMap<Duration, number>();
/** A duration in whole days, as policy figures are reported. */
export function inDays(duration: Duration): number {
  let n = durationDays.get(duration);
  if (n === undefined) {
    n = Math.round(duration.as('days'));
    durationDays.set(duration, n);
  }
  return n;
}
