import type { DateTime } from 'luxon';
import type {
  IdentityEventRecord,
  IdentityUsageDay,
} from '@nhi-governance/plugin-nhi-common';

export interface EventHistoryStore {
  /** An identity's lifecycle events, newest first. */
  readIdentityEvents(
    ref: string,
    limit?: number,
  ): Promise<IdentityEventRecord[]>;

  /** An identity's daily usage from `fromDay` (YYYY-MM-DD, included), newest first. */
  readIdentityUsage(ref: string, fromDay: string): Promise<IdentityUsageDay[]>;

  /** What an identity did: its last lifecycle events and its usage over the last 90 days. */
  readIdentityHistory(
    ref: string,
    now: DateTime,
  ): Promise<{ events: IdentityEventRecord[]; usage: IdentityUsageDay[] }>;
}
