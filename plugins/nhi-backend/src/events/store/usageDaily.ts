import type { Knex } from 'knex';
import type { UsageDayProfile } from '../../engine/anomaly';
import { chunks } from '../../database/chunks';
import {
  JSON_ROWS_CHUNK,
  isPostgres,
  jsonRows,
  upsertSelectWhere,
} from '../../database/jsonRows';
import type { WindowedEventFacts } from '../WindowedEventFacts';
import type { UsageDelta } from './EventStore';
import { later } from './later';

/*
 * nhi_usage_daily: rolled-up use and authentication failures per identity and day. The
 * KnexEventStore delegates its writes and reads here.
 */

const SOURCE_CAP = 20;
/** Addresses and regions a day keeps: past this many, a day's places are not all known. */
const PLACE_CAP = 50;

/** A JSON list column merged with the incoming one, keeping at most `cap` entries. */
function mergeSample(db: Knex, column: string, cap: number): string {
  const stored = `coalesce(nhi_usage_daily.${column}, '[]')`;
  return isPostgres(db)
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
export async function addUsageDays(
  db: Knex,
  deltas: UsageDelta[],
): Promise<void> {
  const where = upsertSelectWhere(db);
  for (const batch of chunks(deltas, JSON_ROWS_CHUNK)) {
    await db.raw(
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
         sources = ${mergeSample(db, 'sources', SOURCE_CAP)},
         addresses = ${mergeSample(db, 'addresses', PLACE_CAP)},
         regions = ${mergeSample(db, 'regions', PLACE_CAP)},
         hours = nhi_usage_daily.hours | excluded.hours`,
      [
        jsonRows(
          db,
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

/**
 * "Last day" is today and yesterday (UTC), so a spike just after midnight still counts; the
 * baseline is the daily average of the 30 days before.
 */
export async function readWindowedEventFacts(
  db: Knex,
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
    const logins: any[] = await db('nhi_events')
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
    const rows: any[] = await db('nhi_usage_daily')
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
  db: Knex,
  refs: string[],
  from: string,
): Promise<Map<string, UsageDayProfile[]>> {
  const profiles = new Map<string, UsageDayProfile[]>();
  for (const batch of chunks(refs, 500)) {
    const rows: any[] = await db('nhi_usage_daily')
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
