import type { Knex } from 'knex';
import type { UnusualDay, UsageDayProfile } from '../../engine/anomaly';
import type { IngestEvent } from '@nhi-governance/plugin-nhi-common';
import { chunks } from '../../database/chunks';
import { FACT_COLUMNS } from '../../database/tables/identityFacts';
import {
  JSON_ROWS_CHUNK,
  isPostgres,
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

const SOURCE_CAP = 20;
/** Addresses and regions a day keeps: past this many, a day's places are not all known. */
const PLACE_CAP = 50;

const later = (table: string, column: string, incoming: string) =>
  `case when ${incoming} is not null and (${table}.${column} is null or ${incoming} > ${table}.${column})
     then ${incoming} else ${table}.${column} end`;

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

  private mergeSample(column: string, cap: number): string {
    const stored = `coalesce(nhi_usage_daily.${column}, '[]')`;
    return isPostgres(this.db)
      ? `case when json_array_length(${stored}::json) >= ${cap}
           then ${stored}
           else (select coalesce(json_agg(s), '[]')::text from (
             select json_array_elements_text(${stored}::json) as s
             union select json_array_elements_text(excluded.${column}::json) limit ${cap}) u)
         end`
      : `case when json_array_length(${stored}) >= ${cap}
           then ${stored}
           else (select json_group_array(value) from (
             select value from json_each(${stored})
             union select value from json_each(excluded.${column}) limit ${cap}))
         end`;
  }

  /**
   * Adds rolled-up counts to each identity's day in one upsert per chunk: the database adds the
   * counts, so concurrent batches never overwrite each other's.
   */
  async addUsage(deltas: UsageDelta[]): Promise<void> {
    requireTransaction(this.db, 'addUsage');
    const where = upsertSelectWhere(this.db);
    for (const batch of chunks(deltas, JSON_ROWS_CHUNK)) {
      await this.db.raw(
        `insert into nhi_usage_daily (identity_ref, day, uses, auth_failures, last_used_at, sources,
           addresses, regions, hours)
         select identity_ref, day, uses, auth_failures, last_used_at, sources,
           addresses, regions, hours from ? ${where}
         on conflict (identity_ref, day) do update set
           uses = nhi_usage_daily.uses + excluded.uses,
           auth_failures = nhi_usage_daily.auth_failures + excluded.auth_failures,
           last_used_at = ${later(
             'nhi_usage_daily',
             'last_used_at',
             'excluded.last_used_at',
           )},
           sources = ${this.mergeSample('sources', SOURCE_CAP)},
           addresses = ${this.mergeSample('addresses', PLACE_CAP)},
           regions = ${this.mergeSample('regions', PLACE_CAP)},
           hours = nhi_usage_daily.hours | excluded.hours`,
        [
          jsonRows(
            this.db,
            {
              identity_ref: 'text',
              day: 'text',
              uses: 'integer',
              auth_failures: 'integer',
              last_used_at: 'text',
              sources: 'text',
              addresses: 'text',
              regions: 'text',
              hours: 'integer',
            },
            batch.map(d => ({
              identity_ref: d.identityRef,
              day: d.day,
              uses: d.uses,
              auth_failures: d.authFailures,
              last_used_at: d.lastUsedAt ?? null,
              sources: JSON.stringify(d.sources.slice(0, SOURCE_CAP)),
              addresses: JSON.stringify(d.addresses.slice(0, PLACE_CAP)),
              regions: JSON.stringify(d.regions.slice(0, PLACE_CAP)),
              hours: d.hours,
            })),
          ),
        ],
      );
    }
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

  /**
   * "Last day" is today and yesterday (UTC), so a spike just after midnight still counts; the
   * baseline is the daily average of the 30 days before.
   */
  async readWindowedEventFacts(
    refs: { logins: string[]; failures: string[] },
    days: { yesterday: string; baselineFrom: string; loginsFrom: string },
  ): Promise<Map<string, WindowedEventFacts>> {
    const facts = new Map<string, WindowedEventFacts>();
    const get = (ref: string) => {
      let f = facts.get(ref);
      if (!f) {
        f = {
          interactiveLogins: { count: 0 },
          authFailures: { lastDay: 0, dailyAverage: 0 },
        };
        facts.set(ref, f);
      }
      return f;
    };
    for (const batch of chunks(refs.logins, 500)) {
      const logins: any[] = await this.db('nhi_events')
        .whereIn('identity_ref', batch)
        .where({ type: 'interactive-login' })
        .andWhere('occurred_at', '>=', days.loginsFrom)
        .groupBy('identity_ref')
        .select('identity_ref')
        .count({ count: '*' })
        .max({ at: 'occurred_at' });
      for (const r of logins) {
        get(r.identity_ref).interactiveLogins = {
          count: Number(r.count),
          lastAt: r.at,
        };
      }
    }
    for (const batch of chunks(refs.failures, 500)) {
      const rows: any[] = await this.db('nhi_usage_daily')
        .whereIn('identity_ref', batch)
        .andWhere('day', '>=', days.baselineFrom)
        .andWhere('auth_failures', '>', 0)
        .select('identity_ref', 'day', 'auth_failures');
      for (const r of rows) {
        const failures = get(r.identity_ref).authFailures;
        if (r.day >= days.yesterday)
          failures.lastDay += Number(r.auth_failures);
        else failures.dailyAverage += Number(r.auth_failures) / 30;
      }
    }
    return facts;
  }

  /** Each identity's daily usage from `from` on, oldest first: what anomalies are measured on. */
  async readUsageProfiles(
    refs: string[],
    from: string,
  ): Promise<Map<string, UsageDayProfile[]>> {
    const profiles = new Map<string, UsageDayProfile[]>();
    for (const batch of chunks(refs, 500)) {
      const rows: any[] = await this.db('nhi_usage_daily')
        .whereIn('identity_ref', batch)
        .andWhere('day', '>=', from)
        .orderBy(['identity_ref', 'day'])
        .select('identity_ref', 'day', 'uses', 'addresses', 'regions', 'hours');
      for (const r of rows) {
        const days = profiles.get(r.identity_ref) ?? [];
        days.push({
          day: r.day,
          uses: Number(r.uses),
          addresses: r.addresses ? JSON.parse(r.addresses) : [],
          regions: r.regions ? JSON.parse(r.regions) : [],
          hours: Number(r.hours),
        });
        profiles.set(r.identity_ref, days);
      }
    }
    return profiles;
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
