import type { Knex } from 'knex';
import type { EvidenceStore, PeriodBounds, LedgerSlice } from './EvidenceStore';

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

/** The lifecycle events rotations.csv lists. */
export const LIFECYCLE_EVENT_TYPES = [
  'issued',
  'rotated',
  'revoked',
  'expired',
] as const;

/** EvidenceStore on the plugin's database (SQLite or PostgreSQL). */
export class KnexEvidenceStore implements EvidenceStore {
  constructor(private readonly db: Knex) {}

  /** Every identity present at some moment of the period, removed ones included. */
  inventoryRows(p: PeriodBounds): AsyncGenerator<any, any, any> {
    return keyset<any>(
      () =>
        this.db('nhi_identities')
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
  }

  /** Review items of the campaigns that were open at some moment of the period. */
  reviewItemRows(p: PeriodBounds): AsyncGenerator<any, any, any> {
    return keyset<any>(
      () =>
        this.db('nhi_review_items')
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
  }

  /** Every version of the decisions on these items, oldest first. */
  async decisionVersions(itemIds: string[]): Promise<any[]> {
    if (!itemIds.length) return [];
    return this.db('nhi_review_decisions')
      .whereIn('item_id', itemIds)
      .orderBy([
        { column: 'item_id', order: 'asc' },
        { column: 'version', order: 'asc' },
      ]);
  }

  async remediationsOf(itemIds: string[]): Promise<any[]> {
    if (!itemIds.length) return [];
    return this.db('nhi_remediations')
      .whereIn('item_id', itemIds)
      .orderBy(['item_id', 'opened_at', 'id']);
  }

  /** Exception requests alive at some moment of the period. */
  exceptionRows(p: PeriodBounds): AsyncGenerator<any, any, any> {
    return keyset<any>(
      () =>
        this.db('nhi_exceptions')
          .where('requested_at', '<', p.to)
          .andWhere('expires_at', '>=', p.from),
      'id',
    );
  }

  /** The security queue's decisions in the period. */
  approvalRows(p: PeriodBounds): AsyncGenerator<any, any, any> {
    return keyset<any>(
      () =>
        this.db('nhi_approvals')
          .where('decided_at', '>=', p.from)
          .andWhere('decided_at', '<', p.to),
      'id',
    );
  }

  /**
   * The seqs of the period's slice of the ledger: from the entry just before the first one recorded
   * in the period (whose hash that one links to) to the first one recorded after it (which shows
   * that nothing of the period is left out), capped at the head the export read. A contiguous
   * range, even where concurrent writers recorded entries a little out of time order.
   */
  async ledgerSliceOf(
    p: PeriodBounds,
    headSeq: number,
  ): Promise<LedgerSlice | undefined> {
    if (headSeq < 1) return undefined;
    const firstIn = await this.db('nhi_ledger')
      .where('recorded_at', '>=', p.from)
      .andWhere('seq', '<=', headSeq)
      .orderBy('seq')
      .first('seq');
    // Nothing recorded since the period began: the head alone anchors (and closes) the slice.
    if (!firstIn) {
      return { first: headSeq, last: headSeq, firstInPeriod: headSeq + 1 };
    }
    const lastIn = await this.db('nhi_ledger')
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
  async *ledgerRows(
    slice: LedgerSlice | undefined,
  ): AsyncGenerator<any, void, unknown> {
    if (!slice) return;
    let after = slice.first - 1;
    for (;;) {
      const rows = await this.db('nhi_ledger')
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
  inventoryRefs(p: PeriodBounds): AsyncGenerator<{ ref: string }, any, any> {
    return keyset<{ ref: string }>(
      () =>
        this.db('nhi_identities')
          .where('first_seen_at', '<', p.to)
          .andWhere(q =>
            q.whereNull('removed_at').orWhere('removed_at', '>=', p.from),
          )
          .select('ref'),
      'ref',
    );
  }

  /**
   * For each of these identities, the latest entry that registered or changed it before entry
   * `beforeSeq`: what the ledger said of it when the period began. Entries in the period are in
   * the slice itself.
   */
  async registrationEntries(refs: string[], beforeSeq: number): Promise<any[]> {
    if (!refs.length) return [];
    // By subject only: a condition on kind would have the planner walk the kind index over
    // every registration ever recorded, for each batch.
    const entries = await this.db('nhi_ledger')
      .whereIn('subject', refs)
      .andWhere('seq', '<', beforeSeq)
      .select('subject', 'seq', 'kind');
    const latest = new Map<string, number>();
    for (const e of entries) {
      if (e.kind !== 'identity.registered' && e.kind !== 'identity.changed') {
        continue;
      }
      latest.set(
        e.subject,
        Math.max(latest.get(e.subject) ?? 0, Number(e.seq)),
      );
    }
    if (!latest.size) return [];
    return this.db('nhi_ledger')
      .whereIn('seq', [...latest.values()])
      .orderBy('seq');
  }

  /**
   * Lifecycle events of the period, type by type, in time order: each page continues the index
   * on (type, occurred_at, id) where the last one ended, so no page sorts or rescans the period.
   */
  async *lifecycleEventRows(
    p: PeriodBounds,
  ): AsyncGenerator<any, void, unknown> {
    for (const type of LIFECYCLE_EVENT_TYPES) {
      let after: { occurred_at: string; id: string } | undefined;
      for (;;) {
        const query = this.db('nhi_events')
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
  async statusChangesOf(refs: string[], p: PeriodBounds): Promise<any[]> {
    if (!refs.length) return [];
    // By subject only, the kind checked here: see registrationEntries.
    const rows = await this.db('nhi_ledger')
      .whereIn('subject', refs)
      .andWhere('recorded_at', '<', p.to)
      .orderBy('seq')
      .select('subject', 'kind', 'recorded_at', 'payload');
    return rows.filter((r: any) => r.kind === 'status.changed');
  }

  /** For each of these identities, its last issue or rotation before the period ended. */
  async lastRotationsOf(
    refs: string[],
    p: PeriodBounds,
  ): Promise<Map<string, string>> {
    if (!refs.length) return new Map();
    // By identity: the (type, time) index would walk every rotation before the period's end.
    const rows = await this.db('nhi_events')
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
  async lastUsesOf(
    refs: string[],
    p: PeriodBounds,
  ): Promise<Map<string, string>> {
    if (!refs.length) return new Map();
    const rows = await this.db('nhi_usage_daily')
      .whereIn('identity_ref', refs)
      .andWhere('day', '<', p.to.slice(0, 10))
      .groupBy('identity_ref')
      .select('identity_ref', this.db.raw('max(last_used_at) as at'));
    return new Map(rows.map((r: any) => [r.identity_ref, r.at]));
  }

  /** The identities of the period with their declared credential and current rotation policy. */
  rotationSubjects(
    p: PeriodBounds,
  ): AsyncGenerator<
    { ref: string; credential: string; status: string | null },
    any,
    any
  > {
    return keyset<{ ref: string; credential: string; status: string | null }>(
      () =>
        this.db('nhi_identities')
          .where('first_seen_at', '<', p.to)
          .andWhere(q =>
            q.whereNull('removed_at').orWhere('removed_at', '>=', p.from),
          )
          .select('ref', 'credential', 'status'),
      'ref',
    );
  }

  /**
   * The status changes recorded in the period: findings opened, closed and excepted. The
   * period's slice is walked on the primary key and filtered here: an index on kind would have
   * every page visit every status change ever recorded.
   */
  async *statusChangeRows(
    p: PeriodBounds,
    slice: LedgerSlice | undefined,
  ): AsyncGenerator<any, void, unknown> {
    for await (const row of this.ledgerRows(slice)) {
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
  async usageDays(refs: string[], p: PeriodBounds): Promise<any[]> {
    if (!refs.length) return [];
    return this.db('nhi_usage_daily')
      .whereIn('identity_ref', refs)
      .andWhere('day', '>=', p.from.slice(0, 10))
      .andWhere('day', '<', p.to.slice(0, 10))
      .orderBy(['identity_ref', 'day'])
      .select('identity_ref', 'day', 'uses', 'auth_failures', 'sources');
  }

  /** The ledger's records of exported packages, newest first. */
  async evidenceExportEntries(limit: number): Promise<any[]> {
    return this.db('nhi_ledger')
      .where('kind', 'evidence.exported')
      .orderBy('seq', 'desc')
      .limit(limit)
      .select('seq', 'recorded_at', 'payload');
  }
}
