import type { LifecycleEventType } from '../events/types';
import type { LedgerEntry } from '../ledger/types';
import type { IdentitySourceFacts } from '../discovery/types';
import type { IdentityStatus } from '../status/types';
import type { MachineIdentitySpec } from '../kind/MachineIdentityEntity';
import type { MachineIdentityType, PrivilegeLevel } from '../kind/vocabulary';

/**
 * One identity as the backend stores it: the declared facts with every ref resolved in full.
 * It comes from the catalog, or from a discovery source that found it undeclared. Never a secret
 * value.
 */
export type IdentityRecord = {
  ref: string;
  type: MachineIdentityType;
  owner?: string;
  backupOwner?: string;
  system?: string;
  usedBy: string[];
  environment?: string;
  provider?: string;
  externalId?: string;
  purpose?: string;
  scopes: string[];
  privilege?: PrivilegeLevel;
  credential: NonNullable<MachineIdentitySpec['credential']>;
  approval?: MachineIdentitySpec['approval'];
};

/** An identity as the backend serves it, with its bookkeeping and computed status. */
export type IdentityView = IdentityRecord & {
  /** Where it was declared or found: `catalog` or a discovery source. */
  source: string;
  firstSeenAt: string;
  /** Set once the identity left its source; it is kept for the record. */
  removedAt?: string;
  /** Absent until the status engine has run over it. */
  status?: IdentityStatus;
};

export type ListIdentitiesResponse = {
  items: IdentityView[];
  totalItems: number;
};

/** One lifecycle event of an identity (issued, rotated, revoked, expired, interactive login). */
export type IdentityEventRecord = {
  /** The sender's idempotency key. */
  id: string;
  type: LifecycleEventType;
  /** ISO 8601 UTC: when it happened. */
  occurredAt: string;
  /** ISO 8601 UTC: when the portal received it. */
  receivedAt: string;
  /** What the sender said about it: count, sourceIp, region, userAgent, actor, identity. */
  attributes: Record<string, unknown>;
};

/** An identity's uses and failed authentications on one day (UTC). */
export type IdentityUsageDay = {
  /** YYYY-MM-DD, UTC. */
  day: string;
  uses: number;
  authFailures: number;
  /** ISO 8601 UTC: the latest use that day. */
  lastUsedAt?: string;
  /** Distinct sources seen that day (IP, region, user agent), capped. */
  sources: string[];
};

export type IdentityDetailsResponse = {
  identity: IdentityView;
  /** The identity's lifecycle events, newest first (at most 100). */
  events: IdentityEventRecord[];
  /** The identity's daily usage over the last 90 days, newest first; days without any are absent. */
  usage: IdentityUsageDay[];
  /** The identity's ledger entries, newest first. */
  ledger: LedgerEntry[];
  /** What each discovery source says of it, and when each was last read. */
  sources: IdentitySourceFacts[];
};

/** What `POST /refresh` answers once the sync and recompute have finished. */
export type RefreshResponse = {
  status: 'refreshed';
};

/** One refused item of an event batch, in the 400 answer to `POST /events`. */
export type EventBatchProblem = {
  /** The item's position in `events`. */
  index: number;
  /** What is wrong with it, naming the field, never the value. */
  reason: string;
};

/** Sort keys of the identity list. */
export const IDENTITY_SORT_FIELDS = [
  'risk',
  'name',
  'type',
  'owner',
  'rotation',
  'updated',
] as const;
export type IdentitySortField = (typeof IDENTITY_SORT_FIELDS)[number];

/** What the org-wide views group identities by. */
export const ROLLUP_DIMENSIONS = [
  'all',
  'owner',
  'system',
  'type',
  'environment',
  'finding',
] as const;
export type RollupDimension = (typeof ROLLUP_DIMENSIONS)[number];

/** The figures of one group of identities. */
export type RollupFigures = {
  identities: number;
  /** No open finding of medium severity or above. */
  compliant: number;
  compliantPct: number;
  rotationOverdue: number;
  expired: number;
  /** Owner missing or not in the catalog. */
  orphaned: number;
  /** Dormant or never used. */
  dormant: number;
  unapproved: number;
  /** Risk of 50 or more. */
  highRisk: number;
};

export type RollupRow = RollupFigures & {
  /** The owner ref, system ref, type, environment or finding code; '' where there is none. */
  key: string;
};

export type RollupsResponse = {
  dimension: RollupDimension;
  rows: RollupRow[];
  /** The whole population. */
  total: RollupFigures;
};

export type TrendPoint = RollupFigures & {
  day: string;
};
