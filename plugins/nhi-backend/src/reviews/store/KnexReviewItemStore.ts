import type { Knex } from 'knex';
import type {
  ReviewDecision,
  ReviewDecisionKind,
  ReviewItem,
  ReviewItemState,
  NonResponseAction,
} from '@nhi-governance/plugin-nhi-common';
import { chunks } from '../../database/chunks';
import type {
  ReviewAssignment,
  ReviewItemStore,
  ReviewItemRow,
  StoredReviewItem,
  ReviewItemFilter,
} from './ReviewItemStore';
import { requireTransaction } from '../../database/requireTransaction';
import { holdCampaignsOpen } from './holdCampaignsOpen';

interface DecisionRow {
  item_id: string;
  version: number;
  decision: string;
  justification: string;
  details: string | null;
  decided_by: string;
  decided_at: string;
  batch_id: string | null;
}

const ITEM_COLUMNS = [
  'nhi_review_items.*',
  'nhi_campaigns.period as period',
  'nhi_campaigns.status as campaign_status',
];

const toItem = (
  row: ReviewItemRow & { period: string; campaign_status: string },
): StoredReviewItem => ({
  id: row.id,
  campaignId: row.campaign_id,
  period: row.period,
  campaignStatus: row.campaign_status,
  identity: row.identity_ref,
  assignee: row.assignee,
  ...(row.backup_owner ? { backupOwner: row.backup_owner } : {}),
  ...(row.approved_by ? { approvedBy: row.approved_by } : {}),
  dueAt: row.due_at,
  state: row.state as ReviewItemState,
  newSinceLastCampaign: !!row.new_since_last,
  snapshot: JSON.parse(row.snapshot),
  snapshotHash: row.snapshot_hash,
  version: Number(row.version),
  ...(row.escalated_at
    ? {
        escalatedAt: row.escalated_at,
        escalationReason:
          row.escalation_reason as ReviewItem['escalationReason'],
      }
    : {}),
  ...(row.reassign_to ? { reassignTo: row.reassign_to } : {}),
  ...(row.overdue_handled_at
    ? {
        nonResponse: {
          handledAt: row.overdue_handled_at,
          action: row.overdue_action as NonResponseAction,
        },
      }
    : {}),
});

const toDecision = (row: DecisionRow): ReviewDecision => {
  const details = row.details ? JSON.parse(row.details) : {};
  return {
    version: Number(row.version),
    decision: row.decision as ReviewDecisionKind,
    justification: row.justification,
    ...details,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    ...(row.batch_id ? { batchId: row.batch_id } : {}),
  };
};

/** ReviewItemStore on the plugin's database (SQLite or PostgreSQL). */
export class KnexReviewItemStore implements ReviewItemStore {
  constructor(private readonly db: Knex) {}

  async insertReviewItems(
    rows: Array<
      Omit<
        ReviewItemRow,
        | 'decision'
        | 'decided_by'
        | 'decided_at'
        | 'escalated_at'
        | 'escalation_reason'
        | 'reassign_to'
        | 'overdue_handled_at'
        | 'overdue_action'
      >
    >,
  ): Promise<void> {
    requireTransaction(this.db, 'insertReviewItems');
    // 18 columns a row: well inside SQLite's and PostgreSQL's parameter limits.
    for (const batch of chunks(rows, 500)) {
      await this.db('nhi_review_items').insert(batch);
    }
  }

  private itemsQuery(): Knex.QueryBuilder<
    any,
    {
      _base: any;
      _hasSelection: true;
      _keys: string;
      _aliases: {};
      _single: false;
      _intersectProps: {};
      _unionProps: never;
    }[]
  > {
    return this.db('nhi_review_items')
      .join('nhi_campaigns', 'nhi_campaigns.id', 'nhi_review_items.campaign_id')
      .select(ITEM_COLUMNS);
  }

  /**
   * Review items by id, in the order asked. With `lock` their rows stay locked (`FOR UPDATE` on
   * PostgreSQL; SQLite has one writer) until the transaction ends, so that concurrent decisions on
   * one item queue and take versions one after the other.
   */
  async readReviewItems(
    ids: string[],
    lock = false,
  ): Promise<Map<string, StoredReviewItem>> {
    const found = new Map<string, StoredReviewItem>();
    // Locks are taken in id order, whatever order the caller asked in: two batches that share
    // items then queue on the first shared one instead of each holding what the other wants.
    const sorted = [...new Set(ids)].sort();
    if (lock) await holdCampaignsOpen(this.db, sorted);
    for (const batch of chunks(sorted, 500)) {
      const query = this.itemsQuery().whereIn('nhi_review_items.id', batch);
      if (lock)
        query.forUpdate('nhi_review_items').orderBy('nhi_review_items.id');
      for (const row of await query) found.set(row.id, toItem(row));
    }
    const out = new Map<string, StoredReviewItem>();
    for (const id of ids) {
      const item = found.get(id);
      if (item) out.set(id, item);
    }
    return out;
  }

  async listReviewItems(
    filter: ReviewItemFilter,
    page: { limit: number; offset: number },
  ): Promise<{ items: StoredReviewItem[]; totalItems: number }> {
    const where = (q: Knex.QueryBuilder) => {
      if (filter.campaignId)
        q.where('nhi_review_items.campaign_id', filter.campaignId);
      if (filter.identity)
        q.where('nhi_review_items.identity_ref', filter.identity);
      if (filter.state?.length)
        q.whereIn('nhi_review_items.state', filter.state);
      if (filter.openCampaigns) q.where('nhi_campaigns.status', 'open');
      if (filter.newSinceLastCampaign !== undefined) {
        q.where('nhi_review_items.new_since_last', filter.newSinceLastCampaign);
      }
      if (filter.assignees || filter.reassignTo) {
        q.where(sub => {
          if (filter.assignees) {
            sub
              .whereIn('nhi_review_items.assignee', filter.assignees)
              .orWhereIn('nhi_review_items.backup_owner', filter.assignees);
          }
          if (filter.reassignTo) {
            sub.orWhereIn('nhi_review_items.reassign_to', filter.reassignTo);
          }
        });
      }
      return q;
    };
    const [{ count }] = await where(
      this.db('nhi_review_items').join(
        'nhi_campaigns',
        'nhi_campaigns.id',
        'nhi_review_items.campaign_id',
      ),
    ).count({ count: '*' });
    const rows = await where(this.itemsQuery())
      .orderBy([
        { column: 'nhi_review_items.due_at', order: 'asc' },
        { column: 'nhi_review_items.identity_ref', order: 'asc' },
        { column: 'nhi_review_items.id', order: 'asc' },
      ])
      .limit(page.limit)
      .offset(page.offset);
    return { items: rows.map(toItem), totalItems: Number(count) };
  }

  /** Items of open campaigns past their due date, undecided, whose non-response is not handled. */
  async readOverdueItems(now: string): Promise<StoredReviewItem[]> {
    const rows = await this.itemsQuery()
      .where('nhi_campaigns.status', 'open')
      .whereIn('nhi_review_items.state', ['pending', 'awaiting-reassignment'])
      .whereNull('nhi_review_items.overdue_handled_at')
      .andWhere('nhi_review_items.due_at', '<=', now)
      .orderBy('nhi_review_items.id');
    return rows.map(toItem);
  }

  async updateReviewItem(
    id: string,
    changes: Partial<
      Omit<ReviewItemRow, 'id' | 'campaign_id' | 'identity_ref'>
    >,
  ): Promise<void> {
    requireTransaction(this.db, 'updateReviewItem');
    await this.db('nhi_review_items').where({ id }).update(changes);
  }

  async insertDecision(
    itemId: string,
    decision: ReviewDecision,
  ): Promise<void> {
    requireTransaction(this.db, 'insertDecision');
    const {
      version,
      decision: kind,
      justification,
      decidedBy,
      decidedAt,
      batchId,
      ...details
    } = decision;
    await this.db('nhi_review_decisions').insert({
      item_id: itemId,
      version,
      decision: kind,
      justification,
      details: Object.keys(details).length ? JSON.stringify(details) : null,
      decided_by: decidedBy,
      decided_at: decidedAt,
      batch_id: batchId ?? null,
    });
  }

  /** Every version of the decisions on these items, oldest first. */
  async readDecisionHistory(
    itemIds: string[],
  ): Promise<Map<string, ReviewDecision[]>> {
    const out = new Map<string, ReviewDecision[]>(itemIds.map(id => [id, []]));
    for (const batch of chunks(itemIds, 500)) {
      const rows: DecisionRow[] = await this.db('nhi_review_decisions')
        .whereIn('item_id', batch)
        .orderBy([
          { column: 'item_id', order: 'asc' },
          { column: 'version', order: 'asc' },
        ]);
      for (const row of rows) out.get(row.item_id)!.push(toDecision(row));
    }
    return out;
  }

  /** The identities of the last campaign's items, to tell which are new since. */
  async readCampaignIdentities(
    campaignId: string,
    refs: string[],
  ): Promise<Set<string>> {
    const found = new Set<string>();
    for (const batch of chunks(refs, 500)) {
      const rows = await this.db('nhi_review_items')
        .where('campaign_id', campaignId)
        .whereIn('identity_ref', batch)
        .select('identity_ref');
      for (const r of rows) found.add(r.identity_ref);
    }
    return found;
  }

  async readItemRefs(campaignId: string): Promise<string[]> {
    const rows = await this.db('nhi_review_items')
      .where('campaign_id', campaignId)
      .select('identity_ref');
    return rows.map(r => r.identity_ref);
  }

  async readAssignments(
    campaignId: string,
    states?: ReviewItemRow['state'][],
  ): Promise<ReviewAssignment[]> {
    const query = this.db('nhi_review_items').where('campaign_id', campaignId);
    if (states) query.whereIn('state', states);
    return query
      .orderBy('identity_ref')
      .select('identity_ref', 'assignee', 'backup_owner', 'reassign_to');
  }
}
