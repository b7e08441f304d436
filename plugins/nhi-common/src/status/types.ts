import type { ControlMapping } from '../findings/controls';
import type { FindingCode, Severity } from '../findings/definitions';

export const ROTATION_STATUSES = [
  'ok',
  'due-soon',
  'overdue',
  'expired',
  'no-rotation-data',
  'exempt',
] as const;
export type RotationStatus = (typeof ROTATION_STATUSES)[number];

export const USAGE_STATUSES = [
  'active',
  'dormant',
  'never-used',
  'no-usage-data',
] as const;
export type UsageStatus = (typeof USAGE_STATUSES)[number];

export const REVIEW_STATUSES = [
  'current',
  'due',
  'overdue',
  'never-reviewed',
] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** One thing wrong with an identity: what, why it matters, the fix, the proof and the controls. */
export type Finding = {
  code: FindingCode;
  severity: Severity;
  title: string;
  /** Why it matters, in plain language. */
  explanation: string;
  remediation: string;
  /** The dates, counts or refs that show the finding, e.g. `{ lastRotatedAt: '2023-02-14' }`. */
  evidence: Record<string, string | number | string[]>;
  controls: ControlMapping;
  /** When the finding was first raised and has stayed open since. */
  openedAt?: string;
  /**
   * Set while an approved exception covers the finding: it is shown but does not count against
   * compliance, risk or the rollups until the exception expires.
   */
  exception?: FindingException;
};

/** The approved exception that covers a finding. */
export type FindingException = {
  id: string;
  expiresAt: string;
  approvedBy: string;
};

/** Where an identity stands against policy, computed by the status engine. */
export type IdentityStatus = {
  rotation: {
    status: RotationStatus;
    /** The last time the credential changed: rotation, issue or creation. */
    lastRotatedAt?: string;
    ageDays?: number;
    /** The rotation period that applies, from the entity or the policy. */
    periodDays?: number;
    dueAt?: string;
    expiresAt?: string;
    /** Set when a `revoked` event ended the credential (and no later issue or rotation). */
    revokedAt?: string;
  };
  usage: {
    status: UsageStatus;
    lastUsedAt?: string;
    daysSinceUse?: number;
  };
  review: {
    status: ReviewStatus;
  };
  findings: Finding[];
  /** 0–100; see docs/architecture.md for the formula. */
  risk: number;
};
