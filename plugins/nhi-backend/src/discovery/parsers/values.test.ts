import { readTimestamp, toIsoUtc } from './values';

describe('toIsoUtc', () => {
  it('reads a bare date as midnight UTC', () => {
    expect(toIsoUtc('2026-05-07')).toBe('2026-05-07T00:00:00.000Z');
    expect(toIsoUtc('2024-02-29')).toBe('2024-02-29T00:00:00.000Z');
  });

  it.each([
    '2026-02-30',
    '2025-02-29',
    '2026-13-01',
    '2026-04-31',
    '0000-01-01',
  ])(
    'reads %s, a day that does not exist or a year out of range, as no date (not a shifted one)',
    value => {
      expect(toIsoUtc(value)).toBeUndefined();
      expect(readTimestamp(value)).toBeUndefined();
    },
  );
});
