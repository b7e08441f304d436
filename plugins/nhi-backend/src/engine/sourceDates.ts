import type { IdentitySourceFacts } from '@nhi-governance/plugin-nhi-common';
import type { IdentityRecord } from './types';

const SOURCE_DATES = ['createdAt', 'lastRotatedAt', 'expiresAt'] as const;

/**
 * The record as the engine judges it: where a source that lists the identity gives a date,
 * the source's date stands in for the declared one (the source of truth wins; the
 * disagreement is shown with the source). The latest read wins among sources.
 */
export function withSourceDates(
  record: IdentityRecord,
  sources: IdentitySourceFacts[],
): IdentityRecord {
  const listing = sources
    .filter(s => s.listed && s.dates)
    .sort((a, b) => a.readAt.localeCompare(b.readAt));
  if (!listing.length) return record;
  const credential = { ...record.credential };
  for (const s of listing) {
    for (const field of SOURCE_DATES) {
      const value = s.dates![field];
      if (value) credential[field] = value;
    }
  }
  return { ...record, credential };
}

/** The latest use any source reports. */
export const sourceLastUsedAt = (sources: IdentitySourceFacts[]) =>
  sources
    .map(s => s.dates?.lastUsedAt)
    .filter((v): v is string => !!v)
    .sort()
    .pop();
