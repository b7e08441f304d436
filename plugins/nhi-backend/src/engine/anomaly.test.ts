import { DateTime } from 'luxon';
import { DEFAULT_POLICY } from '../policy/Policy';
import { UsageDayProfile, unusualDays } from './anomaly';

const NOW = DateTime.fromISO('2026-11-29T12:00:00Z', { zone: 'utc' });
const policy = DEFAULT_POLICY.anomaly;
const OFFICE = (1 << 9) | (1 << 10) | (1 << 14);

const day = (
  daysAgo: number,
  over: Partial<UsageDayProfile> = {},
): UsageDayProfile => ({
  day: NOW.minus({ days: daysAgo }).toISODate()!,
  uses: 100,
  addresses: ['10.0.0.1'],
  regions: ['eu-west-1'],
  hours: OFFICE,
  ...over,
});

/** Twenty usual days, three weeks back and more. */
const baseline = Array.from({ length: 20 }, (_, i) => day(i + 8));

describe('unusualDays', () => {
  it('finds nothing in a day like the baseline', () => {
    expect(unusualDays([...baseline, day(1)], policy, NOW)).toEqual([]);
  });

  it('names a new address, region and hour, and a volume spike, with the baseline behind them', () => {
    const odd = day(1, {
      uses: 900,
      addresses: ['10.0.0.1', '203.0.113.9'],
      regions: ['ap-southeast-1'],
      hours: OFFICE | (1 << 3),
    });
    expect(unusualDays([...baseline, odd], policy, NOW)).toEqual([
      {
        day: odd.day,
        uses: 900,
        baselineDays: 20,
        baselineMedianUses: 100,
        newAddresses: ['203.0.113.9'],
        newRegions: ['ap-southeast-1'],
        newHours: [3],
        spike: true,
      },
    ]);
  });

  it('calls a busier day a spike only past the factor and the minimum volume', () => {
    const busy = (uses: number) =>
      unusualDays([...baseline, day(1, { uses })], policy, NOW);
    expect(busy(500)).toEqual([]);
    expect(busy(501)).toEqual([expect.objectContaining({ spike: true })]);
    const quiet = baseline.map(d => ({ ...d, uses: 2 }));
    // Twenty times a quiet median, yet under the minimum volume: not flagged.
    expect(unusualDays([...quiet, day(1, { uses: 40 })], policy, NOW)).toEqual(
      [],
    );
  });

  it('says nothing until the baseline has enough days with use', () => {
    const odd = day(1, { addresses: ['203.0.113.9'] });
    const short = baseline.slice(0, policy.minimumBaselineDays - 1);
    expect(unusualDays([...short, odd], policy, NOW)).toEqual([]);
    expect(
      unusualDays(
        [...baseline.slice(0, policy.minimumBaselineDays), odd],
        policy,
        NOW,
      ),
    ).toHaveLength(1);
  });

  it('looks only at recent days, each against the days before it', () => {
    const old = day(policy.recentDays, { addresses: ['203.0.113.9'] });
    expect(unusualDays([...baseline, old], policy, NOW)).toEqual([]);
    // An address first seen two days ago is in the baseline of yesterday.
    const first = day(2, { addresses: ['203.0.113.9'] });
    const again = day(1, { addresses: ['203.0.113.9'] });
    expect(
      unusualDays([...baseline, first, again], policy, NOW).map(d => d.day),
    ).toEqual([first.day]);
  });

  it('follows the configured thresholds', () => {
    const odd = day(1, { uses: 300 });
    expect(unusualDays([...baseline, odd], policy, NOW)).toEqual([]);
    expect(
      unusualDays([...baseline, odd], { ...policy, volumeFactor: 2 }, NOW),
    ).toEqual([expect.objectContaining({ spike: true })]);
  });
});
