import type { Knex } from 'knex';
import type { UnusualDay, UsageDayProfile } from '../../engine/anomaly';
import type { IngestEvent } from '@nhi-governance/plugin-nhi-common';
import { chunks } from '../../database/chunks';
import { FACT_COLUMNS } from '../../database/tables/identityFacts';
import {
  JSON_ROWS_CHUNK,
  jsonRows,
  rowsOf,
  upsertSelectWhere,
} from '../../database/jsonRows';
import type {
  EventStore,
  LifecycleRow,
  UsageDelta,
  EventFactsUpdate,
} from './EventStore';
import type { WindowedEventFacts } from '../WindowedEventFacts';
import { requireTransaction } from '../../database/requireTransaction';
import { identityKey } from '../identityKey';
import { later } from './later';
import {
  addUsageDays,
  readUsageProfiles,
  readWindowedEventFacts,
} from './usageDaily';

/** EventStore on the plugin's database (SQLite or PostgreSQL). */
export class KnexEventStore implements EventStore {
  constructor(private readonly db: Knex) {}

  /** The refs of every identity (present or removed) a batch names, and what each name resolves to. */
  async resolveEventIdentities(
    events: IngestEvent[],
  ): Promise<Map<string, string[]>> {
    const byKey = new Map<string, string[]>();
    const refs = [
      ...new Set(
        events.flatMap(e =>
          'ref' in e.identity ? [e.identity.ref.toLowerCase()] : [],
        ),
      ),
    ];
    for (const batch of chunks(refs, JSON_ROWS_CHUNK)) {
      const rows = rowsOf(
        await this.db.raw(
          `select ref from nhi_identities where ref in (select ref from ?)`,
          [
            jsonRows(
              this.db,
              { ref: 'text' },
              batch.map(ref => ({ ref })),
            ),
          ],
        ),
      );
      for (const r of rows) byKey.set(`ref:${r.ref}`, [r.ref]);
    }
    const pairs = new Map<string, { provider: string; external_id: string }>();
    for (const e of events) {
      if ('provider' in e.identity) {
        const { provider, externalId } = e.identity;
        pairs.set(identityKey(e.identity), {
          provider,
          external_id: externalId,
        });
      }
    }
    for (const batch of chunks([...pairs.values()], JSON_ROWS_CHUNK)) {
      const rows = rowsOf(
        await this.db.raw(
          `select ref, provider, external_id from nhi_identities
           where (provider, external_id) in (select provider, external_id from ?)`,
          [jsonRows(this.db, { provider: 'text', external_id: 'text' }, batch)],
        ),
      );
      for (const r of rows) {
        const key = `ext:${r.provider}\u0000${r.external_id}`;
        byKey.set(key, [...(byKey.get(key) ?? []), r.ref]);
      }
    }
    return byKey;
  }

  /** Of these lifecycle event row ids, the ones already stored. */
  async readSeenLifecycleIds(ids: string[]): Promise<Set<string>> {
    const seen = new Set<string>();
    for (const batch of chunks(ids, 500)) {
      const rows = await this.db('nhi_events')
        .whereIn('id', batch)
        .select('id');
      for (const r of rows) seen.add(r.id);
    }
    return seen;
  }

  /**
   * Records the idempotency keys of rolled-up events and answers the ones not seen before, in one
   * statement per chunk: a replayed key is skipped by the database, not read first.
   */
  async claimRolledUpEventIds(
    ids: string[],
    receivedDay: string,
  ): Promise<Set<string>> {
    requireTransaction(this.db, 'claimRolledUpEventIds');
    const fresh = new Set<string>();
    const where = upsertSelectWhere(this.db);
    for (const batch of chunks(ids, JSON_ROWS_CHUNK)) {
      const result = await this.db.raw(
        `insert into nhi_rolled_up_event_ids (id, day)
         select id, ? from ? ${where}
         on conflict (id) do nothing returning id`,
        [
          receivedDay,
          jsonRows(
            this.db,
            { id: 'text' },
            batch.map(id => ({ id })),
          ),
        ],
      );
      for (const r of rowsOf(result)) fresh.add(r.id);
    }
    return fresh;
  }

  async insertLifecycleEvents(
    rows: LifecycleRow[],
    receivedAt: string,
  ): Promise<void> {
    requireTransaction(this.db, 'insertLifecycleEvents');
    for (const batch of chunks(rows, 200)) {
      await this.db('nhi_events').insert(
        batch.map(r => ({
          id: r.id,
          identity_ref: r.identityRef,
          type: r.type,
          occurred_at: r.occurredAt,
          received_at: receivedAt,
          attributes: JSON.stringify(r.attributes),
        })),
      );
    }
  }

  /**
   * Adds rolled-up counts to each identity's day in one upsert per chunk: the database adds the
   * counts, so concurrent batches never overwrite each other's.
   */
  async addUsage(deltas: UsageDelta[]): Promise<void> {
    requireTransaction(this.db, 'addUsage');
    await addUsageDays(this.db, deltas);
  }

  /** Moves each identity's event facts forward (never back: a late event changes nothing). */
  async recordEventFacts(updates: EventFactsUpdate[]): Promise<void> {
    requireTransaction(this.db, 'recordEventFacts');
    const columns = {
      identity_ref: 'text',
      ...Object.fromEntries(FACT_COLUMNS.map(c => [c, 'text'])),
    } as Record<string, 'text'>;
    const names = Object.keys(columns).join(', ');
    const where = upsertSelectWhere(this.db);
    for (const batch of chunks(updates, JSON_ROWS_CHUNK)) {
      await this.db.raw(
        `insert into nhi_identity_facts (${names}) select ${names} from ? ${where}
         on conflict (identity_ref) do update set ${FACT_COLUMNS.map(
           c => `${c} = ${later('nhi_identity_facts', c, `excluded.${c}`)}`,
         ).join(', ')}`,
        [
          jsonRows(
            this.db,
            columns,
            batch.map(({ ref, ...facts }) => ({ identity_ref: ref, ...facts })),
          ),
        ],
      );
    }
  }

  /** Forgets idempotency keys of rolled-up events older than the replay window. */
  async pruneRolledUpEventIds(beforeDay: string): Promise<number> {
    return this.db('nhi_rolled_up_event_ids')
      .where('day', '<', beforeDay)
      .delete();
  }

  async readWindowedEventFacts(
    refs: { logins: string[]; failures: string[] },
    days: { yesterday: string; baselineFrom: string; loginsFrom: string },
  ): Promise<Map<string, WindowedEventFacts>> {
    return readWindowedEventFacts(this.db, refs, days);
  }

  async readUsageProfiles(
    refs: string[],
    from: string,
  ): Promise<Map<string, UsageDayProfile[]>> {
    return readUsageProfiles(this.db, refs, from);
  }

  /** Keeps each identity's unusual days (none: null), found when its usage last arrived. */
  async writeAnomalies(
    anomalies: Array<{ ref: string; days: UnusualDay[] }>,
  ): Promise<void> {
    const where = upsertSelectWhere(this.db);
    for (const batch of chunks(anomalies, JSON_ROWS_CHUNK)) {
      await this.db.raw(
        `insert into nhi_identity_facts (identity_ref, anomalies)
         select identity_ref, anomalies from ? ${where}
         on conflict (identity_ref) do update set anomalies = excluded.anomalies`,
        [
          jsonRows(
            this.db,
            { identity_ref: 'text', anomalies: 'text' },
            batch.map(a => ({
              identity_ref: a.ref,
              anomalies: a.days.length ? JSON.stringify(a.days) : null,
            })),
          ),
        ],
      );
    }
  }
}
