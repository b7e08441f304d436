import type { DateTime, Duration } from 'luxon';
import type {
  ExceptableFinding,
  Finding,
  IdentityRecord,
  IdentitySourceFacts,
  IdentityStatus,
  MachineIdentityType,
} from '@nhi-governance/plugin-nhi-common';

/** The resolved policy the status engine applies; see nhi-backend's config.d.ts for each key. */
export interface Policy {
  maxCredentialAge: Record<MachineIdentityType, Duration>;
  environments: Record<
    string,
    { maxCredentialAge: Partial<Record<MachineIdentityType, Duration>> }
  >;
  dueSoonWindow: Duration;
  dormancyThreshold: Duration;
  neverUsedGracePeriod: Duration;
  reviewCadence: Duration;
  maxLifetime: Duration;
  exemptTypes: MachineIdentityType[];
  monitoredProviders: string[];
  authFailureSpike: { minimum: number; factor: number };
  anomaly: AnomalyPolicy;
}

/** When usage is unusual for an identity (`nhi.policy.anomaly`). */
export interface AnomalyPolicy {
  /** The days looked at for unusual use. */
  recentDays: number;
  /** The days before them that make the identity's baseline. */
  baselineDays: number;
  /** Days with use the baseline needs before anything is called unusual. */
  minimumBaselineDays: number;
  /** A day's uses over this many times the baseline's median day is a spike... */
  volumeFactor: number;
  /** ...when it is also at least this many uses. */
  minimumVolume: number;
}

/** A day of unusual use of an identity, against its own baseline. */
export interface UnusualDay {
  day: string;
  uses: number;
  baselineDays: number;
  baselineMedianUses: number;
  newAddresses: string[];
  newRegions: string[];
  newHours: number[];
  spike: boolean;
}

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
 * What recertification says of an identity: reviews, approved exceptions, the security queue's
 * approval and open remediation. Empty for most identities.
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

/** Everything a finding rule may look at. Rules are pure: no I/O, the clock is `now`. */
export interface RuleInput {
  identity: IdentityRecord;
  facts: IdentityFacts;
  rotation: IdentityStatus['rotation'];
  usage: IdentityStatus['usage'];
  review: IdentityStatus['review']['status'];
  policy: Policy;
  now: DateTime;
}

/** The dates, counts or refs that show a finding, e.g. `{ lastRotatedAt: '2023-02-14' }`. */
export type FindingEvidence = Finding['evidence'];

/** Returns the evidence of the finding, or undefined when the identity is fine. */
export type FindingEvaluator = (
  input: RuleInput,
) => FindingEvidence | undefined;
