import type { Knex } from 'knex';
import type { UnusualDay, UsageDayProfile } from '../engine/anomaly';
import type { IngestEvent } from '@nhi-governance/plugin-nhi-common';
import { chunks } from './chunks';
import {
  JSON_ROWS_CHUNK,
  isPostgres,
  jsonRows,
  rowsOf,
  upsertSelectWhere,
} from './jsonRows';

const SOURCE_CAP = 20;
/** Addresses and regions a day keeps: past this many, a day's places are not all known. */
const PLACE_CAP = 50;

// Entity refs are ASCII (the schema checks them), so plain lower-casing is exact; the
// locale-aware form costs a collector's batch several milliseconds.
export const identityKey = (identity: IngestEvent['identity']) =>
  'ref' in identity
    ? `ref:${identity.ref.toLowerCase()}`
    : `ext:${identity.provider}\u0000${identity.externalId}`;

/** The refs of every identity (present or removed) a batch names, and what each name resolves to. */
export async function resolveEventIdentities(
  knex: Knex,
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
      await knex.raw(
        `select ref from nhi_identities where ref in (select ref from ?)`,
        [
          jsonRows(
            knex,
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
      pairs.set(identityKey(e.identity), { provider, external_id: externalId });
    }
  }
  for (const batch of chunks([...pairs.values()], JSON_ROWS_CHUNK)) {
    const rows = rowsOf(
      await knex.raw(
        `select ref, provider, external_id from nhi_identities
         where (provider, external_id) in (select provider, external_id from ?)`,
        [jsonRows(knex, { provider: 'text', external_id: 'text' }, batch)],
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
export async function readSeenLifecycleIds(
  knex: Knex,
  ids: string[],
): Promise<Set<string>> {
  const seen = new Set<string>();
  for (const batch of chunks(ids, 500)) {
    const rows = await knex('nhi_events').whereIn('id', batch).select('id');
    for (const r of rows) seen.add(r.id);
  }
  return seen;
}

/**
 * Records the idempotency keys of rolled-up events and answers the ones not seen before, in one
 * statement per chunk: a replayed key is skipped by the database, not read first.
 */
export async function claimRolledUpEventIds(
  trx: Knex.Transaction,
  ids: string[],
  receivedDay: string,
): Promise<Set<string>> {
  const fresh = new Set<string>();
  const where = upsertSelectWhere(trx);
  for (const batch of chunks(ids, JSON_ROWS_CHUNK)) {
    const result = await trx.raw(
      `insert into nhi_rolled_up_event_ids (id, day)
       select id, ? from ? ${where}
       on conflict (id) do nothing returning id`,
      [
        receivedDay,
        jsonRows(
          trx,
          { id: 'text' },
          batch.map(id => ({ id })),
        ),
      ],
    );
    for (const r of rowsOf(result)) fresh.add(r.id);
  }
  return fresh;
}

export interface LifecycleRow {
  id: string;
  identityRef: string;
  type: string;
  occurredAt: string;
  attributes: Record<string, unknown>;
}

export async function insertLifecycleEvents(
  trx: Knex.Transaction,
  rows: LifecycleRow[],
  receivedAt: string,
): Promise<void> {
  for (const batch of chunks(rows, 200)) {
    await trx('nhi_events').insert(
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

// Merging capped samples (sources, addresses, regions) is the one part of the upsert that is
// not arithmetic. Rows written before a column existed hold null there.
const mergeSample = (knex: Knex, column: string, cap: number) => {
  const stored = `coalesce(nhi_usage_daily.${column}, '[]')`;
  return isPostgres(knex)
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
};

const later = (table: string, column: string, incoming: string) =>
  `case when ${incoming} is not null and (${table}.${column} is null or ${incoming} > ${table}.${column})
     then ${incoming} else ${table}.${column} end`;

/**
 * Adds rolled-up counts to each identity's day in one upsert per chunk: the database adds the
 * counts, so concurrent batches never overwrite each other's.
 */
export async function addUsage(
  trx: Knex.Transaction,
  deltas: UsageDelta[],
): Promise<void> {
  const where = upsertSelectWhere(trx);
  for (const batch of chunks(deltas, JSON_ROWS_CHUNK)) {
    await trx.raw(
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
         sources = ${mergeSample(trx, 'sources', SOURCE_CAP)},
         addresses = ${mergeSample(trx, 'addresses', PLACE_CAP)},
         regions = ${mergeSample(trx, 'regions', PLACE_CAP)},
         hours = nhi_usage_daily.hours | excluded.hours`,
      [
        jsonRows(
          trx,
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

/** The columns of nhi_identity_facts besides the identity. */
export const FACT_COLUMNS = [
  'last_used_at',
  'last_rotation_event_at',
  'last_revoked_at',
  'last_expired_event_at',
  'last_login_at',
  'last_auth_failure_day',
] as const;

/** Moves each identity's event facts forward (never back: a late event changes nothing). */
export async function recordEventFacts(
  trx: Knex.Transaction,
  updates: EventFactsUpdate[],
): Promise<void> {
  const columns = {
    identity_ref: 'text',
    ...Object.fromEntries(FACT_COLUMNS.map(c => [c, 'text'])),
  } as Record<string, 'text'>;
  const names = Object.keys(columns).join(', ');
  const where = upsertSelectWhere(trx);
  for (const batch of chunks(updates, JSON_ROWS_CHUNK)) {
    await trx.raw(
      `insert into nhi_identity_facts (${names}) select ${names} from ? ${where}
       on conflict (identity_ref) do update set ${FACT_COLUMNS.map(
         c => `${c} = ${later('nhi_identity_facts', c, `excluded.${c}`)}`,
       ).join(', ')}`,
      [
        jsonRows(
          trx,
          columns,
          batch.map(({ ref, ...facts }) => ({ identity_ref: ref, ...facts })),
        ),
      ],
    );
  }
}

/** Forgets idempotency keys of rolled-up events older than the replay window. */
export async function pruneRolledUpEventIds(
  knex: Knex,
  beforeDay: string,
): Promise<number> {
  return knex('nhi_rolled_up_event_ids').where('day', '<', beforeDay).delete();
}

/** Counts over a window, read only for identities whose row shows recent logins or failures. */
export interface WindowedEventFacts {
  interactiveLogins: { count: number; lastAt?: string };
  authFailures: { lastDay: number; dailyAverage: number };
}

/**
 * "Last day" is today and yesterday (UTC), so a spike just after midnight still counts; the
 * baseline is the daily average of the 30 days before.
 */
export async function readWindowedEventFacts(
  knex: Knex,
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
    const logins: any[] = await knex('nhi_events')
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
    const rows: any[] = await knex('nhi_usage_daily')
      .whereIn('identity_ref', batch)
      .andWhere('day', '>=', days.baselineFrom)
      .andWhere('auth_failures', '>', 0)
      .select('identity_ref', 'day', 'auth_failures');
    for (const r of rows) {
      const failures = get(r.identity_ref).authFailures;
      if (r.day >= days.yesterday) failures.lastDay += Number(r.auth_failures);
      else failures.dailyAverage += Number(r.auth_failures) / 30;
    }
  }
  return facts;
}

/** Each identity's daily usage from `from` on, oldest first: what anomalies are measured on. */
export async function readUsageProfiles(
  knex: Knex,
  refs: string[],
  from: string,
): Promise<Map<string, UsageDayProfile[]>> {
  const profiles = new Map<string, UsageDayProfile[]>();
  for (const batch of chunks(refs, 500)) {
    const rows: any[] = await knex('nhi_usage_daily')
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
export async function writeAnomalies(
  knex: Knex,
  anomalies: Array<{ ref: string; days: UnusualDay[] }>,
): Promise<void> {
  const where = upsertSelectWhere(knex);
  for (const batch of chunks(anomalies, JSON_ROWS_CHUNK)) {
    await knex.raw(
      `insert into nhi_identity_facts (identity_ref, anomalies)
       select identity_ref, anomalies from ? ${where}
       on conflict (identity_ref) do update set anomalies = excluded.anomalies`,
      [
        jsonRows(
          knex,
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
