import type {
  ExceptableFinding,
  IdentitySourceFacts,
} from '@nhi-governance/plugin-nhi-common';
import type { UnusualDay } from './anomaly';

export type { IdentityRecord } from '@nhi-governance/plugin-nhi-common';

/** What the rest of the world says about an identity: the catalog around it and its events. */
export interface IdentityFacts {
  /** Whether the owner ref names an entity in the catalog. */
  ownerExists: boolean;
  /** The state of each usedBy entity in the catalog. */
  usedByStates: Record<string, 'active' | 'deprecated' | 'missing'>;
  /** Every environment declaring the same provider + externalId, this identity's included. */
  credentialEnvironments: string[];
  /** The latest `issued` or `rotated` event. */
  lastRotationEventAt?: string;
  /** The latest `revoked` and `expired` events: the credential ended unless issued again. */
  lastRevokedAt?: string;
  lastExpiredEventAt?: string;
  usage: {
    lastUsedAt?: string;
    /** Whether usage from this identity's provider reaches the portal at all. */
    providerMonitored: boolean;
  };
  interactiveLogins: { count: number; lastAt?: string };
  authFailures: { lastDay: number; dailyAverage: number };
  governance: GovernanceFacts;
  /** What discovery sources say of the identity, in source order. */
  sources: IdentitySourceFacts[];
  /** Days of unusual use, found when usage last arrived; the engine keeps the recent ones. */
  unusualDays?: UnusualDay[];
}

/**
 * What recertification says of an identity (nhi_identity_governance): reviews, approved
 * exceptions, the security queue's approval and open remediation. Empty for most identities.
 */
export interface GovernanceFacts {
  /** The latest certify, reduce-scope or revoke decision in force. */
  lastReviewedAt?: string;
  /** The earliest due date of an item of an open campaign that nobody has decided yet. */
  reviewDueAt?: string;
  /** Approved exceptions, with their expiry; the engine compares the expiry with the clock. */
  exceptions?: Array<{
    id: string;
    finding: ExceptableFinding;
    expiresAt: string;
    approvedBy: string;
  }>;
  /** Approved in the security queue (the entity may also carry spec.approval). */
  approval?: { approvedBy: string; approvedAt: string; ticket?: string };
  /** Open remediation items, with their due dates. */
  remediations?: Array<{ id: string; kind: string; dueAt: string }>;
}
