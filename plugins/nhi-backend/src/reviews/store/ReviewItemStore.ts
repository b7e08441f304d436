import type {
  ReviewDecision,
  ReviewItem,
  ReviewItemState,
} from '@nhi-governance/plugin-nhi-common';

export interface ReviewItemRow {
  id: string;
  campaign_id: string;
  identity_ref: string;
  assignee: string;
  backup_owner: string | null;
  approved_by: string | null;
  due_at: string;
  state: string;
  new_since_last: boolean | number;
  snapshot: string;
  snapshot_hash: string;
  version: number;
  decision: string | null;
  decided_by: string | null;
  decided_at: string | null;
  escalated_at: string | null;
  escalation_reason: string | null;
  reassign_to: string | null;
  overdue_handled_at: string | null;
  overdue_action: string | null;
}

/** A review item as stored, with what separation of duties needs. */
export interface StoredReviewItem extends Omit<ReviewItem, 'decision'> {
  approvedBy?: string;
  version: number;
  /** The campaign's status and period, joined. */
  campaignStatus: string;
}

export interface ReviewItemFilter {
  campaignId?: string;
  /** Items assigned to any of these (groups or users), or with one of them as backup owner. */
  assignees?: string[];
  /** Items whose reassignment any of these must accept. */
  reassignTo?: string[];
  state?: ReviewItemState[];
  /** Only items of open campaigns. */
  openCampaigns?: boolean;
  identity?: string;
  /** Only identities that were not in the previous campaign. */
  newSinceLastCampaign?: boolean;
}

/** Who reviews an item: its assignee, the backup owner, and where a reassignment points. */
export interface ReviewAssignment {
  identity_ref: string;
  assignee: string;
  backup_owner: string | null;
  reassign_to: string | null;
}

export interface ReviewItemStore {
  insertReviewItems(
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
  ): Promise<void>;

  /**
   * Review items by id, in the order asked. With `lock` their rows stay locked (`FOR UPDATE` on
   * PostgreSQL; SQLite has one writer) until the transaction ends, so that concurrent decisions on
   * one item queue and take versions one after the other.
   */
  readReviewItems(
    ids: string[],
    lock?: boolean,
  ): Promise<Map<string, StoredReviewItem>>;

  listReviewItems(
    filter: ReviewItemFilter,
    page: { limit: number; offset: number },
  ): Promise<{ items: StoredReviewItem[]; totalItems: number }>;

  /** Items of open campaigns past their due date, undecided, whose non-response is not handled. */
  readOverdueItems(now: string): Promise<StoredReviewItem[]>;

  updateReviewItem(
    id: string,
    changes: Partial<
      Omit<ReviewItemRow, 'id' | 'campaign_id' | 'identity_ref'>
    >,
  ): Promise<void>;

  insertDecision(itemId: string, decision: ReviewDecision): Promise<void>;

  /** Every version of the decisions on these items, oldest first. */
  readDecisionHistory(
    itemIds: string[],
  ): Promise<Map<string, ReviewDecision[]>>;

  /** The identities of the last campaign's items, to tell which are new since. */
  readCampaignIdentities(
    campaignId: string,
    refs: string[],
  ): Promise<Set<string>>;

  /** The identities a campaign reviews. */
  readItemRefs(campaignId: string): Promise<string[]>;

  /** Who reviews each item of a campaign (in identity order), optionally in some states only. */
  readAssignments(
    campaignId: string,
    states?: ReviewItemRow['state'][],
  ): Promise<ReviewAssignment[]>;
}
