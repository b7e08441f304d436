import type { UnusualDay, UsageDayProfile } from '../../engine/anomaly';
import type { IngestEvent } from '@nhi-governance/plugin-nhi-common';
import type { WindowedEventFacts } from '../WindowedEventFacts';

export interface LifecycleRow {
  id: string;
  identityRef: string;
  type: string;
  occurredAt: string;
  attributes: Record<string, unknown>;
}

export interface UsageDelta {
  identityRef: string;
  day: string;
  uses: number;
  authFailures: number;
  lastUsedAt?: string;
  sources: string[];
  /** The addresses and regions seen, and the hours (UTC) of use: the anomaly baseline. */
  addresses: string[];
  regions: string[];
  hours: number;
}

/** The latest of each kind of event a batch brought for one identity. */
export interface EventFactsUpdate {
  ref: string;
  last_used_at?: string;
  last_rotation_event_at?: string;
  last_revoked_at?: string;
  last_expired_event_at?: string;
  last_login_at?: string;
  last_auth_failure_day?: string;
}

export interface EventStore {
  /** The refs of every identity (present or removed) a batch names, and what each name resolves to. */
  resolveEventIdentities(events: IngestEvent[]): Promise<Map<string, string[]>>;

  /** Of these lifecycle event row ids, the ones already stored. */
  readSeenLifecycleIds(ids: string[]): Promise<Set<string>>;

  /**
   * Records the idempotency keys of rolled-up events and answers the ones not seen before, in one
   * statement per chunk: a replayed key is skipped by the database, not read first.
   */
  claimRolledUpEventIds(
    ids: string[],
    receivedDay: string,
  ): Promise<Set<string>>;

  insertLifecycleEvents(
    rows: LifecycleRow[],
    receivedAt: string,
  ): Promise<void>;

  /**
   * Adds rolled-up counts to each identity's day in one upsert per chunk: the database adds the
   * counts, so concurrent batches never overwrite each other's.
   */
  addUsage(deltas: UsageDelta[]): Promise<void>;

  /** Moves each identity's event facts forward (never back: a late event changes nothing). */
  recordEventFacts(updates: EventFactsUpdate[]): Promise<void>;

  /** Forgets idempotency keys of rolled-up events older than the replay window. */
  pruneRolledUpEventIds(beforeDay: string): Promise<number>;

  /**
   * "Last day" is today and yesterday (UTC), so a spike just after midnight still counts; the
   * baseline is the daily average of the 30 days before.
   */
  readWindowedEventFacts(
    refs: { logins: string[]; failures: string[] },
    days: { yesterday: string; baselineFrom: string; loginsFrom: string },
  ): Promise<Map<string, WindowedEventFacts>>;

  /** Each identity's daily usage from `from` on, oldest first: what anomalies are measured on. */
  readUsageProfiles(
    refs: string[],
    from: string,
  ): Promise<Map<string, UsageDayProfile[]>>;

  /** Keeps each identity's unusual days (none: null), found when its usage last arrived. */
  writeAnomalies(
    anomalies: Array<{ ref: string; days: UnusualDay[] }>,
  ): Promise<void>;
}
