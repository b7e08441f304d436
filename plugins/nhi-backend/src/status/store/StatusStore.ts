import type { RecomputeRow, RowEventFacts } from './RecomputeRow';
import type { StoredStatus } from '../../engine/storedStatus';

export type { RowEventFacts };

/** A computed status to store, with the columns that lists filter and sort on. */
export interface StatusWrite {
  ref: string;
  stored: StoredStatus;
  text: string;
  compliant: boolean;
  inputs: string;
  validUntil: string;
}

/** One credential across identities: the same provider and external id. */
export const credentialKey = (
  provider?: string | null,
  externalId?: string | null,
) => `${provider ?? ''}\u0000${externalId ?? ''}`;

export interface StatusStore {
  /** Present identities in ref order after `after`, or the present ones among `refs`. */
  readRecomputePage(
    options: { after: string; limit: number } | { refs: string[] },
  ): Promise<RecomputeRow[]>;

  /** Reads the rest of the record and the stored status of the rows that are recomputed. */
  readRecomputeDetails(rows: RecomputeRow[]): Promise<void>;

  /**
   * Locks the rows about to be written (PostgreSQL; SQLite has a single writer) and answers the
   * refs among them whose stored status changed since `rows` were read, by another replica or
   * recompute: those must be evaluated again against what is stored now.
   */
  lockForWrite(rows: RecomputeRow[]): Promise<string[]>;

  /** Stores computed statuses, thousands of rows per statement. */
  saveStatuses(writes: StatusWrite[], now: string): Promise<void>;

  /** Keeps the open-findings table in step: rows for findings opened, none for those closed. */
  applyFindingChanges(
    opened: Array<{
      identity_ref: string;
      code: string;
      severity: string;
      opened_at: string;
    }>,
    closed: Array<{ identity_ref: string; code: string }>,
  ): Promise<void>;

  /**
   * provider + externalId → the environments that declare it, for credentials declared in more
   * than one environment (the environment-mixing rule); others are in their own environment only.
   */
  readSharedCredentialEnvironments(): Promise<Map<string, string[]>>;

  /** Providers whose usage reaches the portal: some identity of theirs has usage on record. */
  readMonitoredProviders(): Promise<Set<string>>;
}
