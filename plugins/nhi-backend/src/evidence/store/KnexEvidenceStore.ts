import type { Knex } from 'knex';
import type { EvidenceStore, PeriodBounds, LedgerSlice } from './EvidenceStore';
import { keyset } from './keyset';
import {
  ledgerRows,
  ledgerSliceOf,
  registrationEntries,
  statusChangesOf,
} from './ledgerReads';

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

  ledgerSliceOf(
    p: PeriodBounds,
    headSeq: number,
  ): Promise<LedgerSlice | undefined> {
    return ledgerSliceOf(this.db, p, headSeq);
  }

  ledgerRows(
    slice: LedgerSlice | undefined,
  ): AsyncGenerator<any, void, unknown> {
    return ledgerRows(this.db, slice);
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

  registrationEntries(refs: string[], beforeSeq: number): Promise<any[]> {
    return registrationEntries(this.db, refs, beforeSeq);
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

  statusChangesOf(refs: string[], p: PeriodBounds): Promise<any[]> {
    return statusChangesOf(this.db, refs, p);
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
