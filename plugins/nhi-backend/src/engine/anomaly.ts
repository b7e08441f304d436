import type { DateTime } from 'luxon';
import type { AnomalyPolicy } from '../policy/Policy';

/** One day of an identity's usage, as anomalies read it (nhi_usage_daily). */
export interface UsageDayProfile {
  /** YYYY-MM-DD, UTC. */
  day: string;
  uses: number;
  addresses: string[];
  regions: string[];
  /** Bit h set: used in hour h (UTC). */
  hours: number;
}

import type { UnusualDay } from '@nhi-governance/plugin-nhi-node';

export type { UnusualDay };

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** A YYYY-MM-DD day `days` before another, without a DateTime per comparison. */
const daysBefore = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00.000Z`) - days * 86_400_000)
    .toISOString()
    .slice(0, 10);

const hoursOf = (mask: number) =>
  Array.from({ length: 24 }, (_, h) => h).filter(h => mask & (1 << h));

/** The first day of the recent window, as YYYY-MM-DD. */
export const recentFrom = (policy: AnomalyPolicy, now: DateTime) =>
  now
    .toUTC()
    .startOf('day')
    .minus({ days: policy.recentDays - 1 })
    .toISODate()!;

/** The first day anomalies read: the baseline of the oldest recent day. */
export const profileFrom = (policy: AnomalyPolicy, now: DateTime) =>
  now
    .toUTC()
    .startOf('day')
    .minus({ days: policy.recentDays - 1 + policy.baselineDays })
    .toISODate()!;

/**
 * The recent days on which the identity was used unlike in the days before them: from an
 * address or region the baseline never saw, in an hour it never used, or far more than its
 * median day. Nothing until the baseline has enough days with use to say what is usual.
 */
export function unusualDays(
  days: UsageDayProfile[],
  policy: AnomalyPolicy,
  now: DateTime,
): UnusualDay[] {
  const from = recentFrom(policy, now);
  const found: UnusualDay[] = [];
  for (const d of days) {
    if (d.day < from || d.uses === 0) continue;
    const start = daysBefore(d.day, policy.baselineDays);
    const baseline = days.filter(
      b => b.day >= start && b.day < d.day && b.uses > 0,
    );
    if (baseline.length < policy.minimumBaselineDays) continue;
    const seenAddresses = new Set(baseline.flatMap(b => b.addresses));
    const seenRegions = new Set(baseline.flatMap(b => b.regions));
    const seenHours = baseline.reduce((mask, b) => mask | b.hours, 0);
    const usual = median(baseline.map(b => b.uses));
    const day: UnusualDay = {
      day: d.day,
      uses: d.uses,
      baselineDays: baseline.length,
      baselineMedianUses: usual,
      newAddresses: d.addresses.filter(a => !seenAddresses.has(a)),
      newRegions: d.regions.filter(r => !seenRegions.has(r)),
      newHours: hoursOf(d.hours & ~seenHours),
      spike:
        d.uses >= policy.minimumVolume && d.uses > policy.volumeFactor * usual,
    };
    if (
      day.newAddresses.length ||
      day.newRegions.length ||
      day.newHours.length ||
      day.spike
    ) {
      found.push(day);
    }
  }
  return found;
}
