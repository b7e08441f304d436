import { DateTime } from 'luxon';
import {
  formatBytes,
  lastCompleteQuarter,
  periodErrors,
  progressPercent,
  progressText,
} from './evidenceForm';

describe('lastCompleteQuarter', () => {
  it('is the quarter before the current one, in UTC', () => {
    expect(
      lastCompleteQuarter(DateTime.fromISO('2026-11-15T10:00:00Z')),
    ).toEqual({ from: '2026-07-01', to: '2026-09-30' });
    expect(
      lastCompleteQuarter(DateTime.fromISO('2026-01-01T00:30:00+02:00')),
    ).toEqual({ from: '2025-07-01', to: '2025-09-30' });
  });
});

describe('periodErrors', () => {
  it('names the field that is missing, malformed or out of order', () => {
    expect(periodErrors({ from: '2026-07-01', to: '2026-09-30' })).toEqual({});
    expect(periodErrors({ from: '', to: '' })).toEqual({
      from: 'From is required',
      to: 'To is required',
    });
    expect(periodErrors({ from: '2026-13-01', to: '2026-09-30' })).toEqual({
      from: 'From must be a date such as 2026-10-01',
    });
    expect(periodErrors({ from: '2026-09-30', to: '2026-07-01' })).toEqual({
      to: 'To must not be before From',
    });
    expect(periodErrors({ from: '2026-09-30', to: '2026-09-30' })).toEqual({});
  });
});

describe('progress', () => {
  it('says which entry is written and how much has arrived', () => {
    const progress = {
      receivedBytes: 12_400_000,
      entry: 'findings.csv',
      entryNumber: 6,
      totalEntries: 11,
    };
    expect(progressText(progress)).toBe(
      'Writing findings.csv (6 of 11) · 12.4 MB received',
    );
    expect(progressPercent(progress)).toBe(45);
    expect(progressText()).toBe('Waiting for the server…');
    expect(progressPercent()).toBe(0);
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1500)).toBe('1.5 kB');
  });
});
