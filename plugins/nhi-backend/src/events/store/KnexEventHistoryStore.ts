import type { Knex } from 'knex';
import type { DateTime } from 'luxon';
import type {
  LifecycleEventType,
  IdentityEventRecord,
  IdentityUsageDay,
} from '@nhi-governance/plugin-nhi-common';
import type { EventHistoryStore } from './EventHistoryStore';

/** How many lifecycle events the single-identity view shows. */
export const EVENT_HISTORY_LIMIT = 100;
/** How many days of usage the single-identity view shows, today included. */
export const USAGE_HISTORY_DAYS = 90;

interface EventRow {
  id: string;
  identity_ref: string;
  type: string;
  occurred_at: string;
  received_at: string;
  attributes: string;
}

interface UsageRow {
  identity_ref: string;
  day: string;
  uses: number | string;
  auth_failures: number | string;
  last_used_at: string | null;
  sources: string;
}

/**
 * A credential declared by several identities stores its lifecycle event once per identity,
 * as `id#ref`; the sender knows it by its own id.
 */
const senderId = (row: EventRow) => {
  const suffix = `#${row.identity_ref}`;
  return row.id.endsWith(suffix) ? row.id.slice(0, -suffix.length) : row.id;
};

/** EventHistoryStore on the plugin's database (SQLite or PostgreSQL). */
export class KnexEventHistoryStore implements EventHistoryStore {
  constructor(private readonly db: Knex) {}

  /** An identity's lifecycle events, newest first. */
  async readIdentityEvents(
    ref: string,
    limit = EVENT_HISTORY_LIMIT,
  ): Promise<IdentityEventRecord[]> {
    const rows: EventRow[] = await this.db('nhi_events')
      .where({ identity_ref: ref })
      .orderBy([
        { column: 'occurred_at', order: 'desc' },
        { column: 'received_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(r => ({
      id: senderId(r),
      type: r.type as LifecycleEventType,
      occurredAt: r.occurred_at,
      receivedAt: r.received_at,
      attributes: JSON.parse(r.attributes),
    }));
  }

  /** An identity's daily usage from `fromDay` (YYYY-MM-DD, included), newest first. */
  async readIdentityUsage(
    ref: string,
    fromDay: string,
  ): Promise<IdentityUsageDay[]> {
    const rows: UsageRow[] = await this.db('nhi_usage_daily')
      .where({ identity_ref: ref })
      .andWhere('day', '>=', fromDay)
      .orderBy('day', 'desc');
    return rows.map(r => ({
      day: r.day,
      uses: Number(r.uses),
      authFailures: Number(r.auth_failures),
      ...(r.last_used_at ? { lastUsedAt: r.last_used_at } : {}),
      sources: JSON.parse(r.sources),
    }));
  }

  /** What an identity did: its last lifecycle events and its usage over the last 90 days. */
  async readIdentityHistory(
    ref: string,
    now: DateTime,
  ): Promise<{ events: IdentityEventRecord[]; usage: IdentityUsageDay[] }> {
    const fromDay = now
      .toUTC()
      .minus({ days: USAGE_HISTORY_DAYS - 1 })
      .toISODate()!;
    const [events, usage] = await Promise.all([
      this.readIdentityEvents(ref),
      this.readIdentityUsage(ref, fromDay),
    ]);
    return { events, usage };
  }
}
