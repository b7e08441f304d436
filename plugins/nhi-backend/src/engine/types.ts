import type { ReviewStatus } from '@nhi-governance/plugin-nhi-common';

export type { IdentityRecord } from '@nhi-governance/plugin-nhi-common';

/** What the rest of the world says about an identity: the catalog around it and its events. */
export interface IdentityFacts {
  /** Whether the owner ref names an entity in the catalog. */
  ownerExists: boolean;
  /** The state of each usedBy entity in the catalog. */
  usedByStates: Record<string, 'active' | 'deprecated' | 'missing'>;
  /** Every environment declaring the same provider + externalId, this identity's included. */
  credentialEnvironments: string[];
  /** The latest `rotated` or `issued` event. */
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
  review: ReviewStatus;
}
