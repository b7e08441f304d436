import { DateTime, Duration } from 'luxon';
import { reviewPeriod } from './periods';

const utc = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' });
const period = (cadence: string, now: string | DateTime) =>
  reviewPeriod(
    Duration.fromISO(cadence),
    typeof now === 'string' ? utc(now) : now,
  );

describe('reviewPeriod', () => {
  it.each<[string, string, string, string]>([
    ['P3M', '2026-11-29T12:00:00Z', '2026-Q4', '2026-10-01'],
    ['P3M', '2027-01-01T00:00:00Z', '2027-Q1', '2027-01-01'],
    ['P3M', '2026-03-31T23:59:59Z', '2026-Q1', '2026-01-01'],
    ['P3M', '2026-04-01T00:00:00Z', '2026-Q2', '2026-04-01'],
    ['P1M', '2026-11-29T12:00:00Z', '2026-11', '2026-11-01'],
    ['P1M', '2026-02-01T00:00:00Z', '2026-02', '2026-02-01'],
    ['P6M', '2026-11-29T12:00:00Z', '2026-H2', '2026-07-01'],
    ['P6M', '2026-06-30T23:59:59Z', '2026-H1', '2026-01-01'],
    ['P1Y', '2026-11-29T12:00:00Z', '2026', '2026-01-01'],
    ['P12M', '2026-11-29T12:00:00Z', '2026', '2026-01-01'],
    ['P2M', '2026-11-29T12:00:00Z', '2026-P2M-6', '2026-11-01'],
    ['P2M', '2026-02-28T12:00:00Z', '2026-P2M-1', '2026-01-01'],
    ['P4M', '2026-05-01T00:00:00Z', '2026-P4M-2', '2026-05-01'],
  ])(
    'names the %s period of %s %s, starting %s',
    (cadence, now, name, start) => {
      const result = period(cadence, now);
      expect(result.name).toBe(name);
      expect(result.start.toUTC().toISO()).toBe(`${start}T00:00:00.000Z`);
    },
  );

  it('places a moment in the UTC period, whatever the zone of now', () => {
    // 20:00 on New Year's Eve in New York is already 2027 in UTC.
    const newYork = DateTime.fromISO('2026-12-31T20:00:00', {
      zone: 'America/New_York',
    });
    expect(period('P3M', newYork).name).toBe('2027-Q1');
    expect(period('P1M', newYork).name).toBe('2027-01');
  });

  it('gives every moment of a quarter the same period and the next quarter another', () => {
    const first = period('P3M', '2026-10-01T00:00:00Z');
    const last = period('P3M', '2026-12-31T23:59:59.999Z');
    const next = period('P3M', '2027-01-01T00:00:00Z');
    expect(last).toEqual(first);
    expect(next.name).not.toBe(first.name);
  });

  describe('a cadence of days', () => {
    const epoch = DateTime.fromMillis(0, { zone: 'utc' });
    const DAY_MS = 86_400_000;

    it.each([
      '2026-11-29T12:00:00Z',
      '2027-01-01T00:00:00Z',
      '2026-09-04T00:00:00Z',
      '2026-09-03T23:59:59Z',
      '1970-01-01T00:00:00Z',
    ])(
      'names the P90D period of %s by its first day, a multiple of 90 days from 1970-01-01',
      iso => {
        const now = utc(iso);
        const { name, start } = period('P90D', now);
        const startMs = start.toMillis();
        expect(startMs % (90 * DAY_MS)).toBe(0);
        expect(startMs).toBeGreaterThanOrEqual(epoch.toMillis());
        expect(startMs <= now.toMillis()).toBe(true);
        expect(now.toMillis() < startMs + 90 * DAY_MS).toBe(true);
        expect(name).toBe(`P90D-${start.toUTC().toISODate()}`);
      },
    );

    it('starts the P90D period of 2026-11-29 on 2026-09-04', () => {
      // 2026-09-04 is day 20700 = 230 × 90 after 1970-01-01; the next starts 2026-12-03.
      expect(period('P90D', '2026-11-29T12:00:00Z').name).toBe(
        'P90D-2026-09-04',
      );
      expect(period('P90D', '2026-12-03T00:00:00Z').name).toBe(
        'P90D-2026-12-03',
      );
    });

    it('does not treat P90D as quarterly', () => {
      const { name, start } = period('P90D', '2026-11-29T12:00:00Z');
      expect(name).not.toMatch(/Q\d/);
      expect(name).not.toBe(period('P3M', '2026-11-29T12:00:00Z').name);
      expect(start.toISODate()).not.toBe('2026-10-01');
    });

    it('does not treat months plus days as quarterly', () => {
      const { name, start } = period('P3M15D', '2026-11-29T12:00:00Z');
      expect(name).toMatch(/^P\d+D-\d{4}-\d{2}-\d{2}$/);
      expect(name).toBe(`${name.split('-')[0]}-${start.toISODate()}`);
      expect(start.toISODate()).not.toBe('2026-10-01');
    });

    it('counts other day cadences the same way', () => {
      const { name, start } = period('P30D', '2026-11-29T12:00:00Z');
      expect(start.toMillis() % (30 * DAY_MS)).toBe(0);
      expect(name).toBe(`P30D-${start.toISODate()}`);
      expect(utc('2026-11-29T12:00:00Z').diff(start, 'days').days).toBeLessThan(
        30,
      );
    });
  });
});
