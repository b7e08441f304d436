import { DateTime } from 'luxon';
import type { EvidencePeriod } from '@nhi-governance/plugin-nhi-common';
import type { EvidenceDownloadProgress } from '../../../api';

/** The last calendar quarter that has ended (UTC), the period an audit usually asks for. */
export function lastCompleteQuarter(
  now: DateTime = DateTime.utc(),
): EvidencePeriod {
  const quarter = now.toUTC().startOf('quarter').minus({ quarters: 1 });
  return {
    from: quarter.toISODate()!,
    to: quarter.endOf('quarter').toISODate()!,
  };
}

export type PeriodErrors = Partial<Record<keyof EvidencePeriod, string>>;

const LABELS: Record<keyof EvidencePeriod, string> = { from: 'From', to: 'To' };

/** What is wrong with the dates, by field, in words that name the field. */
export function periodErrors(period: EvidencePeriod): PeriodErrors {
  const errors: PeriodErrors = {};
  for (const field of ['from', 'to'] as const) {
    const value = period[field];
    if (!value) {
      errors[field] = `${LABELS[field]} is required`;
    } else if (!DateTime.fromISO(value).isValid) {
      errors[field] = `${LABELS[field]} must be a date such as 2026-10-01`;
    }
  }
  // ISO dates compare as text.
  if (!errors.from && !errors.to && period.to < period.from) {
    errors.to = 'To must not be before From';
  }
  return errors;
}

/** `12.4 MB`: decimal units, as the browser's download list shows them. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  if (bytes < 1_000_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  return `${(bytes / 1_000_000_000).toFixed(2)} GB`;
}

/** `Writing findings.csv (6 of 11) · 12.4 MB received`. */
export function progressText(progress?: EvidenceDownloadProgress): string {
  if (!progress) return 'Waiting for the server…';
  const step = progress.entry
    ? `Writing ${progress.entry} (${progress.entryNumber} of ${progress.totalEntries})`
    : 'Starting the package';
  return `${step} · ${formatBytes(progress.receivedBytes)} received`;
}

/** The share of entries finished: the one being written is not done yet. */
export function progressPercent(progress?: EvidenceDownloadProgress): number {
  if (!progress?.totalEntries) return 0;
  const done = Math.max(0, progress.entryNumber - 1);
  return Math.round((done / progress.totalEntries) * 100);
}
