import type { Knex } from 'knex';

/** An audit period as stored times: `from` inclusive, `to` exclusive (UTC ISO). */
export interface PeriodBounds {
  from: string;
  to: string;
}

/** Rows of a query a page at a time, in a stable order, without an offset. */
async function* keyset<T extends Record<string, any>>(
  query: () => Knex.QueryBuilder,
  key: string,
  pageSize = 1000,
): AsyncGenerator<T> {
  let after: string | undefined;
  for (;;) {
    const q = query().orderBy(key).limit(pageSize);
    if (after !== undefined) q.where(key, '>', after);
    const rows: T[] = await q;
    for (const row of rows) yield row;
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1][key.split('.').pop()!];
  }
}

/** Every identity present at some moment of the period, removed ones included. */
export const inventoryRows = (knex: Knex, p: PeriodBounds) =>
  keyset<any>(
    () =>
      knex('nhi_identities')
        .leftJoin(
          'nhi_identity_governance',
          'nhi_identity_governance.identity_ref',
          'ref',
        )
        .where('first_seen_at', '<', p.to)
        .andWhere(q =>
          q.whereNull('removed_at').orWhere('removed_at', '>=', p.from),
        )
        .select(
          'nhi_identities.*',
          'nhi_identity_governance.facts as governance',
        ),
    'ref',
  );

/** Review items of the campaigns that were open at some moment of the period. */
export const reviewItemRows = (knex: Knex, p: PeriodBounds) =>
  keyset<any>(
    () =>
      knex('nhi_review_items')
        .join(
          'nhi_campaigns',
          'nhi_campaigns.id',
          'nhi_review_items.campaign_id',
        )
        .whereNotNull('nhi_campaigns.opened_at')
        .andWhere('nhi_campaigns.opened_at', '<', p.to)
        .andWhere(q =>
          q
            .where('nhi_campaigns.status', 'open')
            .orWhere('nhi_campaigns.closed_at', '>=', p.from)
            .orWhere('nhi_campaigns.cancelled_at', '>=', p.from),
        )
        .select(
          'nhi_review_items.*',
          'nhi_campaigns.period',
          'nhi_campaigns.status as campaign_status',
        ),
    'nhi_review_items.id',
  );

/** Every version of the decisions on these items, oldest first. */
export async function decisionVersions(knex: Knex, itemIds: string[]) {
  if (!itemIds.length) return [];
  return knex('nhi_review_decisions')
    .whereIn('item_id', itemIds)
    .orderBy([
      { column: 'item_id', order: 'asc' },
      { column: 'version', order: 'asc' },
    ]);
}

export async function remediationsOf(knex: Knex, itemIds: string[]) {
  if (!itemIds.length) return [];
  return knex('nhi_remediations')
    .whereIn('item_id', itemIds)
    .orderBy(['item_id', 'opened_at', 'id']);
}

/** Exception requests alive at some moment of the period. */
export const exceptionRows = (knex: Knex, p: PeriodBounds) =>
  keyset<any>(
    () =>
      knex('nhi_exceptions')
        .where('requested_at', '<', p.to)
        .andWhere('expires_at', '>=', p.from),
    'id',
  );

/** The security queue's decisions in the period. */
export const approvalRows = (knex: Knex, p: PeriodBounds) =>
  keyset<any>(
    () =>
      knex('nhi_approvals')
        .where('decided_at', '>=', p.from)
        .andWhere('decided_at', '<', p.to),
    'id',
  );

/** A contiguous range of the ledger, and the first seq recorded within the period. */
export interface LedgerSlice {
  first: number;
  last: number;
  firstInPeriod: number;
}

/**
 * The seqs of the period's slice of the ledger: from the entry just before the first one recorded
 * in the period (whose hash that one links to) to the first one recorded after it (which shows
 * that nothing of the period is left out), capped at the head the export read. A contiguous
 * range, even where concurrent writers recorded entries a little out of time order.
 */
export async function ledgerSliceOf(
  knex: Knex,
  p: PeriodBounds,
  headSeq: number,
): Promise<LedgerSlice | undefined> {
  if (headSeq < 1) return undefined;
  const firstIn = await knex('nhi_ledger')
    .where('recorded_at', '>=', p.from)
    .andWhere('seq', '<=', headSeq)
    .orderBy('seq')
    .first('seq');
  // Nothing recorded since the period began: the head alone anchors (and closes) the slice.
  if (!firstIn) {
    return { first: headSeq, last: headSeq, firstInPeriod: headSeq + 1 };
  }
  const lastIn = await knex('nhi_ledger')
    .where('recorded_at', '<', p.to)
    .andWhere('seq', '<=', headSeq)
    .orderBy('seq', 'desc')
    .first('seq');
  return {
    first: Math.max(1, Number(firstIn.seq) - 1),
    last: Math.min(
      headSeq,
      lastIn ? Number(lastIn.seq) + 1 : Number(firstIn.seq),
    ),
    firstInPeriod: Number(firstIn.seq),
  };
}

/** The entries of a slice of the ledger, in sequence order, a page at a time. */
export async function* ledgerRows(knex: Knex, slice: LedgerSlice | undefined) {
  if (!slice) return;
  let after = slice.first - 1;
  for (;;) {
    const rows = await knex('nhi_ledger')
      .where('seq', '>', after)
      .andWhere('seq', '<=', slice.last)
      .orderBy('seq')
      .limit(1000);
    for (const row of rows) yield row;
    if (rows.length < 1000) return;
    after = Number(rows[rows.length - 1].seq);
  }
}

/** The present identities of the period, refs only, a page at a time. */
export const inventoryRefs = (knex: Knex, p: PeriodBounds) =>
  keyset<{ ref: string }>(
    () =>
      knex('nhi_identities')
        .where('first_seen_at', '<', p.to)
        .andWhere(q =>
          q.whereNull('removed_at').orWhere('removed_at', '>=', p.from),
        )
        .select('ref'),
    'ref',
  );

/**
 * For each of these identities, the latest entry that registered or changed it before entry
 * `beforeSeq`: what the ledger said of it when the period began. Entries in the period are in
 * the slice itself.
 */
export async function registrationEntries(
  knex: Knex,
  refs: string[],
  beforeSeq: number,
) {
  if (!refs.length) return [];
  // By subject only: a condition on kind would have the planner walk the kind index over
  // every registration ever recorded, for each batch.
  const entries = await knex('nhi_ledger')
    .whereIn('subject', refs)
    .andWhere('seq', '<', beforeSeq)
    .select('subject', 'seq', 'kind');
  const latest = new Map<string, number>();
  for (const e of entries) {
    if (e.kind !== 'identity.registered' && e.kind !== 'identity.changed') {
      continue;
    }
    latest.set(e.subject, Math.max(latest.get(e.subject) ?? 0, Number(e.seq)));
  }
  if (!latest.size) return [];
  return knex('nhi_ledger')
    .whereIn('seq', [...latest.values()])
    .orderBy('seq');
}

/** The lifecycle events rotations.csv lists. */
export const LIFECYCLE_EVENT_TYPES = [
  'issued',
  'rotated',
  'revoked',
  'expired',
] as const;

/**
 * Lifecycle events of the period, type by type, in time order: each page continues the index
 * on (type, occurred_at, id) where the last one ended, so no page sorts or rescans the period.
 */
export async function* lifecycleEventRows(knex: Knex, p: PeriodBounds) {
  for (const type of LIFECYCLE_EVENT_TYPES) {
    let after: { occurred_at: string; id: string } | undefined;
    for (;;) {
      const query = knex('nhi_events')
        .where('type', type)
        .andWhere('occurred_at', '>=', after?.occurred_at ?? p.from)
        .andWhere('occurred_at', '<', p.to)
        .orderBy(['occurred_at', 'id'])
        .limit(1000)
        .select(
          'id',
          'identity_ref',
          'type',
          'occurred_at',
          'received_at',
          'attributes',
        );
      if (after) {
        const { occurred_at, id } = after;
        query.whereNot(q =>
          q.where('occurred_at', occurred_at).andWhere('id', '<=', id),
        );
      }
      const rows: any[] = await query;
      for (const row of rows) yield row;
      if (rows.length < 1000) break;
      after = rows[rows.length - 1];
    }
  }
}

/** The status changes of these identities recorded before the period ended, oldest first. */
export async function statusChangesOf(
  knex: Knex,
  refs: string[],
  p: PeriodBounds,
) {
  if (!refs.length) return [];
  // By subject only, the kind checked here: see registrationEntries.
  const rows = await knex('nhi_ledger')
    .whereIn('subject', refs)
    .andWhere('recorded_at', '<', p.to)
    .orderBy('seq')
    .select('subject', 'kind', 'recorded_at', 'payload');
  return rows.filter((r: any) => r.kind === 'status.changed');
}

/** For each of these identities, its last issue or rotation before the period ended. */
export async function lastRotationsOf(
  knex: Knex,
  refs: string[],
  p: PeriodBounds,
): Promise<Map<string, string>> {
  if (!refs.length) return new Map();
  // By identity: the (type, time) index would walk every rotation before the period's end.
  const rows = await knex('nhi_events')
    .whereIn('identity_ref', refs)
    .andWhere('occurred_at', '<', p.to)
    .select('identity_ref', 'type', 'occurred_at');
  const last = new Map<string, string>();
  for (const r of rows) {
    if (r.type !== 'issued' && r.type !== 'rotated') continue;
    const before = last.get(r.identity_ref);
    if (!before || r.occurred_at > before)
      last.set(r.identity_ref, r.occurred_at);
  }
  return last;
}

/** For each of these identities, its last recorded use before the period ended. */
export async function lastUsesOf(
  knex: Knex,
  refs: string[],
  p: PeriodBounds,
): Promise<Map<string, string>> {
  if (!refs.length) return new Map();
  const rows = await knex('nhi_usage_daily')
    .whereIn('identity_ref', refs)
    .andWhere('day', '<', p.to.slice(0, 10))
    .groupBy('identity_ref')
    .select('identity_ref', knex.raw('max(last_used_at) as at'));
  return new Map(rows.map((r: any) => [r.identity_ref, r.at]));
}

/** The identities of the period with their declared credential and current rotation policy. */
export const rotationSubjects = (knex: Knex, p: PeriodBounds) =>
  keyset<{ ref: string; credential: string; status: string | null }>(
    () =>
      knex('nhi_identities')
        .where('first_seen_at', '<', p.to)
        .andWhere(q =>
          q.whereNull('removed_at').orWhere('removed_at', '>=', p.from),
        )
        .select('ref', 'credential', 'status'),
    'ref',
  );

/**
 * The status changes recorded in the period: findings opened, closed and excepted. The
 * period's slice is walked on the primary key and filtered here: an index on kind would have
 * every page visit every status change ever recorded.
 */
export async function* statusChangeRows(
  knex: Knex,
  p: PeriodBounds,
  slice: LedgerSlice | undefined,
) {
  for await (const row of ledgerRows(knex, slice)) {
    if (
      row.kind === 'status.changed' &&
      row.recorded_at >= p.from &&
      row.recorded_at < p.to
    ) {
      yield row;
    }
  }
}

/** Daily usage of these identities in the period, by identity and day. */
export async function usageDays(knex: Knex, refs: string[], p: PeriodBounds) {
  if (!refs.length) return [];
  return knex('nhi_usage_daily')
    .whereIn('identity_ref', refs)
    .andWhere('day', '>=', p.from.slice(0, 10))
    .andWhere('day', '<', p.to.slice(0, 10))
    .orderBy(['identity_ref', 'day'])
    .select('identity_ref', 'day', 'uses', 'auth_failures', 'sources');
}

/** The ledger's records of exported packages, newest first. */
export async function evidenceExportEntries(knex: Knex, limit: number) {
  return knex('nhi_ledger')
    .where('kind', 'evidence.exported')
    .orderBy('seq', 'desc')
    .limit(limit)
    .select('seq', 'recorded_at', 'payload');
}
