import type { FindingCode, Severity } from '../findings/definitions';
import type { LedgerEntry } from '../ledger/types';
import type {
  ReviewStatus,
  RotationStatus,
  UsageStatus,
} from '../status/types';
import type { MachineIdentityType, PrivilegeLevel } from '../kind/vocabulary';

export const CAMPAIGN_STATUSES = [
  'draft',
  'open',
  'closed',
  'cancelled',
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** Which identities a campaign covers; an empty scope covers every present identity. */
export type CampaignScope = {
  owner?: string[];
  system?: string[];
  type?: MachineIdentityType[];
  environment?: string[];
};

/** Review progress: items by where they stand. */
export type ReviewProgress = {
  total: number;
  /** Decided with certify, reduce-scope or revoke (or reassigned and decided by the new group). */
  decided: number;
  /** Not decided yet (including items waiting for a reassignment to be accepted). */
  pending: number;
  /** Escalated to security, by the reviewer or for non-response, and not decided since. */
  escalated: number;
  /** Pending past the due date. */
  overdue: number;
};

export type Campaign = {
  id: string;
  /** The period it covers, e.g. `2026-Q4`. */
  period: string;
  scope: CampaignScope;
  status: CampaignStatus;
  dueAt: string;
  createdAt: string;
  createdBy: string;
  /** `schedule` for a campaign the review cadence started, `manual` for one started by hand. */
  origin: 'schedule' | 'manual';
  openedAt?: string;
  closedAt?: string;
  cancelledAt?: string;
  progress: ReviewProgress;
};

export type CampaignDetails = Campaign & {
  /** Progress per assigned group (or user, for a user-owned identity). */
  byGroup: Array<{ group: string } & ReviewProgress>;
};

/** What the reviewer is asked to confirm, frozen when the campaign opened. */
export type ReviewSnapshot = {
  identity: string;
  type: MachineIdentityType;
  owner?: string;
  backupOwner?: string;
  purpose?: string;
  scopes: string[];
  privilege?: PrivilegeLevel;
  usedBy: string[];
  system?: string;
  environment?: string;
  approval?: { approvedBy: string; approvedAt: string; ticket?: string };
  rotation: {
    status?: RotationStatus;
    lastRotatedAt?: string;
    dueAt?: string;
    expiresAt?: string;
  };
  usage: { status?: UsageStatus; lastUsedAt?: string };
  review?: ReviewStatus;
  findings: Array<{ code: FindingCode; severity: Severity; title: string }>;
};

export const REVIEW_DECISIONS = [
  'certify',
  'reduce-scope',
  'revoke',
  'reassign',
  'escalate',
] as const;
export type ReviewDecisionKind = (typeof REVIEW_DECISIONS)[number];

/** One version of a decision on a review item. Versions are never changed or removed. */
export type ReviewDecision = {
  version: number;
  decision: ReviewDecisionKind;
  justification: string;
  /** For reduce-scope: the scopes to remove. */
  scopesToRemove?: string[];
  /** For reassign: the group asked to take the identity over. */
  reassignTo?: string;
  /**
   * For certify with open high or critical findings: one written acknowledgement per finding,
   * keyed by its code (a built-in or a module's).
   */
  acknowledgements?: Record<string, string>;
  /** A user ref, or `system:nhi` for the non-response action. */
  decidedBy: string;
  decidedAt: string;
  /** Shared by the items of one bulk decision. */
  batchId?: string;
};

/** What happens to an item nobody decided by its due date. Never an automatic revocation. */
export const NON_RESPONSE_ACTIONS = [
  'escalate',
  'keep',
  'flag-for-revocation',
] as const;
export type NonResponseAction = (typeof NON_RESPONSE_ACTIONS)[number];

export const REVIEW_ITEM_STATES = [
  'pending',
  'awaiting-reassignment',
  'escalated',
  'decided',
] as const;
export type ReviewItemState = (typeof REVIEW_ITEM_STATES)[number];

export type ReviewItem = {
  id: string;
  campaignId: string;
  period: string;
  identity: string;
  /** The group (or user) that decides: the owner at the start, or the group that accepted a reassignment. */
  assignee: string;
  backupOwner?: string;
  dueAt: string;
  state: ReviewItemState;
  /** The identity was not in the previous campaign. */
  newSinceLastCampaign: boolean;
  snapshot: ReviewSnapshot;
  /** SHA-256 of the snapshot's canonical JSON, as recorded in the ledger. */
  snapshotHash: string;
  decision?: ReviewDecision;
  escalatedAt?: string;
  escalationReason?: 'reviewer' | 'non-response';
  /** Set once the item went past its due date undecided and the policy's action was taken. */
  nonResponse?: { handledAt: string; action: NonResponseAction };
  /** Set while a reassignment waits for the receiving group. */
  reassignTo?: string;
};

export type ReviewItemDetails = ReviewItem & {
  /** Every version, oldest first. */
  history: ReviewDecision[];
  remediations: Remediation[];
  ledger: LedgerEntry[];
};

export type ListReviewItemsResponse = {
  items: ReviewItem[];
  totalItems: number;
};

/** Work that a revoke or reduce-scope decision asks for, open until the change is seen. */
export type Remediation = {
  id: string;
  itemId: string;
  identity: string;
  kind: 'revoke' | 'reduce-scope';
  scopesToRemove?: string[];
  openedAt: string;
  dueAt: string;
  closedAt?: string;
  /** What showed the work was done: a revoked event, or the scopes that changed. */
  closedBy?: string;
};

/** The findings an exception can cover: keep a long-lived credential, skip rotation, keep admin scope. */
export const EXCEPTABLE_FINDINGS = [
  'long-lived',
  'rotation-overdue',
  'overprivileged',
] as const;
export type ExceptableFinding = (typeof EXCEPTABLE_FINDINGS)[number];

export const EXCEPTION_STATUSES = [
  'pending',
  'approved',
  'rejected',
  'expired',
] as const;
export type ExceptionStatus = (typeof EXCEPTION_STATUSES)[number];

export type ExceptionRequest = {
  id: string;
  identity: string;
  finding: ExceptableFinding;
  justification: string;
  compensatingControls: string;
  expiresAt: string;
  requestedBy: string;
  requestedAt: string;
  status: ExceptionStatus;
  decidedBy?: string;
  decidedAt?: string;
  decisionReason?: string;
};

/** An identity waiting in the security queue for approval (CC6.2). */
export type ApprovalQueueItem = {
  identity: string;
  type: MachineIdentityType;
  owner?: string;
  purpose?: string;
  environment?: string;
  privilege?: PrivilegeLevel;
  firstSeenAt: string;
  /** Set when security sent it back and nothing has been approved since. */
  sentBack?: { by: string; at: string; reason: string };
};

export type ApprovalRecord = {
  identity: string;
  decision: 'approved' | 'sent-back';
  decidedBy: string;
  decidedAt: string;
  ticket?: string;
  reason: string;
};
