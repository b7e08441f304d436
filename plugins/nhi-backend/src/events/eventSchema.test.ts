import { parseTimestamp } from './eventSchema';

// Behaviour kept when the calendar check moved to nhi-common (writtenDateExists).
describe('parseTimestamp', () => {
  it.each([
    '2026-02-30T10:00:00Z',
    '2026-02-29T10:00:00.000Z',
    '2026-11-29T24:00:00Z',
    '2026-04-31T00:00:00+02:00',
    '1969-12-31T23:59:59Z',
    '1969-12-31T23:00:00-02:00',
    '0000-01-01T00:00:00Z',
    '10000-01-01T00:00:00Z',
    '2026-02-30T10:00:00,5Z',
  ])('refuses %s', value => {
    expect(parseTimestamp(value)).toBeNaN();
  });

  it.each([
    ['2028-02-29T10:00:00Z', Date.UTC(2028, 1, 29, 10)],
    ['2026-11-29T23:59:59.999Z', Date.UTC(2026, 10, 29, 23, 59, 59, 999)],
    ['1970-01-01T00:00:00Z', 0],
    ['9999-12-31T23:59:59Z', Date.UTC(9999, 11, 31, 23, 59, 59)],
    ['2026-11-29T10:00:00+02:00', Date.UTC(2026, 10, 29, 8)],
  ])('reads %s', (value, at) => {
    expect(parseTimestamp(value)).toBe(at);
  });
});
