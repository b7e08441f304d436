import type { Knex } from 'knex';
import type { IngestEvent } from '@nhi-governance/plugin-nhi-common';
import { chunks } from './chunks';

const SOURCE_CAP = 20;

/** The refs of every identity (present or removed) a batch names, and what each name resolves to. */
export async function resolveEventIdentities(
  knex: Knex,
  events: IngestEvent[],
): Promise<Map<string, string[]>> {
  const byKey = new Map<string, string[]>();
  const refs = [
    ...new Set(
      events.flatMap(e =>
        'ref' in e.identity ? [e.identity.ref.toLocaleLowerCase('en-US')] : [],
      ),
    ),
  ];
  for (const batch of chunks(refs, 500)) {
    const rows = await knex('nhi_identities')
      .whereIn('ref', batch)
      .select('ref');
    for (const r of rows) byKey.set(`ref:${r.ref}`, [r.ref]);
  }
  const external = events.flatMap(e =>
    'provider' in e.identity ? [e.identity] : [],
  );
  const externalIds = [...new Set(external.map(e => e.externalId))];
  for (const batch of chunks(externalIds, 500)) {
    const rows = await knex('nhi_identities')
      .whereIn('external_id', batch)
      .select('ref', 'provider', 'external_id');
    for (const r of rows) {
      const key = `ext:${r.provider}\u0000${r.external_id}`;
      byKey.set(key, [...(byKey.get(key) ?? []), r.ref]);
    }
  }
  return byKey;
}

export const identityKey = (identity: IngestEvent['identity']) =>
  'ref' in identity
    ? `ref:${identity.ref.toLocaleLowerCase('en-US')}`
    : `ext:${identity.provider}\u0000${identity.externalId}`;

/** Of these idempotency keys, the ones already ingested. */
export async function readSeenEventIds(
  knex: Knex,
  ids: string[],
): Promise<Set<string>> {
  const seen = new Set<string>();
  for (const batch of chunks(ids, 500)) {
    for (const table of ['nhi_events', 'nhi_rolled_up_event_ids']) {
      const rows = await knex(table).whereIn('id', batch).select('id');
      for (const r of rows) seen.add(r.id);
    }
  }
  return seen;
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
}

/** Adds rolled-up counts to each identity's day, and remembers the events' idempotency keys. */
export async function addUsage(
  trx: Knex.Transaction,
  deltas: UsageDelta[],
  eventIds: Array<{ id: string; day: string }>,
): Promise<void> {
  for (const batch of chunks(eventIds, 200)) {
    await trx('nhi_rolled_up_event_ids').insert(batch);
  }
  for (const batch of chunks(deltas, 200)) {
    const existing = new Map<string, any>();
    const rows = await trx('nhi_usage_daily').where(q => {
      for (const d of batch)
        q.orWhere({ identity_ref: d.identityRef, day: d.day });
    });
    for (const r of rows) existing.set(`${r.identity_ref}\u0000${r.day}`, r);
    const merged = batch.map(d => {
      const old = existing.get(`${d.identityRef}\u0000${d.day}`);
      const lastUsed =
        [old?.last_used_at, d.lastUsedAt].filter(Boolean).sort().pop() ?? null;
      const sources = [
        ...new Set([...(old ? JSON.parse(old.sources) : []), ...d.sources]),
      ].slice(0, SOURCE_CAP);
      return {
        identity_ref: d.identityRef,
        day: d.day,
        uses: Number(old?.uses ?? 0) + d.uses,
        auth_failures: Number(old?.auth_failures ?? 0) + d.authFailures,
        last_used_at: lastUsed,
        sources: JSON.stringify(sources),
      };
    });
    await trx('nhi_usage_daily')
      .insert(merged)
      .onConflict(['identity_ref', 'day'])
      .merge(['uses', 'auth_failures', 'last_used_at', 'sources']);
  }
}

/** Forgets idempotency keys of rolled-up events older than the replay window. */
export async function pruneRolledUpEventIds(
  knex: Knex,
  beforeDay: string,
): Promise<number> {
  return knex('nhi_rolled_up_event_ids').where('day', '<', beforeDay).delete();
}

/** What events say about each identity, for the status engine. */
export interface EventFacts {
  lastUsedAt?: string;
  lastRotationEventAt?: string;
  interactiveLogins: { count: number; lastAt?: string };
  authFailures: { lastDay: number; dailyAverage: number };
}

export const NO_EVENT_FACTS: EventFacts = {
  interactiveLogins: { count: 0 },
  authFailures: { lastDay: 0, dailyAverage: 0 },
};

/**
 * Event facts for a page of identities. "Last day" is today and yesterday (UTC), so a spike
 * just after midnight still counts; the baseline is the daily average of the 30 days before.
 */
export async function readEventFacts(
  knex: Knex,
  refs: string[],
  days: {
    today: string;
    yesterday: string;
    baselineFrom: string;
    loginsFrom: string;
  },
): Promise<Map<string, EventFacts>> {
  const facts = new Map<string, EventFacts>();
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
  for (const batch of chunks(refs, 500)) {
    const usage: any[] = await knex('nhi_usage_daily')
      .whereIn('identity_ref', batch)
      .groupBy('identity_ref')
      .select('identity_ref')
      .max({ last_used_at: 'last_used_at' });
    for (const r of usage)
      if (r.last_used_at) get(r.identity_ref).lastUsedAt = r.last_used_at;

    const recent: any[] = await knex('nhi_usage_daily')
      .whereIn('identity_ref', batch)
      .andWhere('day', '>=', days.yesterday)
      .groupBy('identity_ref')
      .select('identity_ref')
      .sum({ failures: 'auth_failures' });
    for (const r of recent)
      get(r.identity_ref).authFailures.lastDay = Number(r.failures ?? 0);

    const baseline: any[] = await knex('nhi_usage_daily')
      .whereIn('identity_ref', batch)
      .andWhere('day', '>=', days.baselineFrom)
      .andWhere('day', '<', days.yesterday)
      .groupBy('identity_ref')
      .select('identity_ref')
      .sum({ failures: 'auth_failures' });
    for (const r of baseline) {
      get(r.identity_ref).authFailures.dailyAverage =
        Number(r.failures ?? 0) / 30;
    }

    const rotations: any[] = await knex('nhi_events')
      .whereIn('identity_ref', batch)
      .whereIn('type', ['issued', 'rotated'])
      .groupBy('identity_ref')
      .select('identity_ref')
      .max({ at: 'occurred_at' });
    for (const r of rotations) get(r.identity_ref).lastRotationEventAt = r.at;

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
  return facts;
}

/** Providers whose usage reaches the portal: some identity of theirs has usage recorded. */
export async function readMonitoredProviders(knex: Knex): Promise<Set<string>> {
  const rows = await knex('nhi_identities')
    .whereNotNull('provider')
    .whereIn('ref', knex('nhi_usage_daily').distinct('identity_ref'))
    .distinct('provider');
  return new Set(rows.map(r => r.provider));
}
