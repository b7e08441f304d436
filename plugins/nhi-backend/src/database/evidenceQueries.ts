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
          'nhi_identity_facts',
          'nhi_identity_facts.identity_ref',
          'ref',
        )
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
          'nhi_identity_facts.last_used_at',
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

/**
 * The ledger entries recorded in the period, preceded by the entry just before them (whose
 * hash the first one links to), in sequence order.
 */
export async function* ledgerRows(knex: Knex, p: PeriodBounds) {
  const first = await knex('nhi_ledger')
    .where('recorded_at', '>=', p.from)
    .orderBy('seq')
    .first('seq');
  if (!first) return;
  const from = Math.max(1, Number(first.seq) - 1);
  let after = from - 1;
  for (;;) {
    const rows = await knex('nhi_ledger')
      .where('seq', '>', after)
      .andWhere(q =>
        q.where('recorded_at', '<', p.to).orWhere('seq', '=', from),
      )
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
  const latest = knex('nhi_ledger')
    .whereIn('subject', refs)
    .whereIn('kind', ['identity.registered', 'identity.changed'])
    .andWhere('seq', '<', beforeSeq)
    .groupBy('subject')
    .select(knex.raw('max(seq) as seq'));
  return knex('nhi_ledger').whereIn('seq', latest).orderBy('seq');
}

/** The seq of the first entry of the period (or the head's next, when there is none). */
export async function firstSeqOf(knex: Knex, p: PeriodBounds): Promise<number> {
  const first = await knex('nhi_ledger')
    .where('recorded_at', '>=', p.from)
    .orderBy('seq')
    .first('seq');
  if (first) return Number(first.seq);
  const head = await knex('nhi_ledger_head').first('seq');
  return Number(head.seq) + 1;
}

/** Lifecycle events of the period, by their id (the primary key keeps each page cheap). */
export const lifecycleEventRows = (knex: Knex, p: PeriodBounds) =>
  keyset<any>(
    () =>
      knex('nhi_events')
        .whereIn('type', ['issued', 'rotated', 'revoked', 'expired'])
        .andWhere('occurred_at', '>=', p.from)
        .andWhere('occurred_at', '<', p.to)
        .select(
          'id',
          'identity_ref',
          'type',
          'occurred_at',
          'received_at',
          'attributes',
        ),
    'id',
  );

/** The status changes of these identities recorded before the period ended, oldest first. */
export async function statusChangesOf(
  knex: Knex,
  refs: string[],
  p: PeriodBounds,
) {
  if (!refs.length) return [];
  return knex('nhi_ledger')
    .whereIn('subject', refs)
    .andWhere('kind', 'status.changed')
    .andWhere('recorded_at', '<', p.to)
    .orderBy('seq')
    .select('subject', 'recorded_at', 'payload');
}

/** For each of these identities, its last issue or rotation before the period ended. */
export async function lastRotationsOf(
  knex: Knex,
  refs: string[],
  p: PeriodBounds,
): Promise<Map<string, string>> {
  if (!refs.length) return new Map();
  const rows = await knex('nhi_events')
    .whereIn('identity_ref', refs)
    .whereIn('type', ['issued', 'rotated'])
    .andWhere('occurred_at', '<', p.to)
    .groupBy('identity_ref')
    .select('identity_ref', knex.raw('max(occurred_at) as at'));
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
 * The status changes of the period: findings opened, closed and excepted. The period's entries
 * are walked on the primary key and filtered here: an index on kind would have every page
 * visit every status change ever recorded.
 */
export async function* statusChangeRows(knex: Knex, p: PeriodBounds) {
  for await (const row of ledgerRows(knex, p)) {
    if (row.kind === 'status.changed' && row.recorded_at >= p.from) yield row;
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
