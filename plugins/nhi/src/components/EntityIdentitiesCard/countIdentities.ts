import {
  isSeriousFinding,
  type IdentityView,
} from '@nhi-governance/plugin-nhi-common';

/** How an entity's identities stand, in counts of identities (findings: count of findings). */
export interface IdentityCounts {
  /** Every identity the server knows for the entity (may exceed the ones counted below). */
  total: number;
  /** The identities the counts below cover. */
  counted: number;
  /** No open (non-excepted) finding of medium severity or above, as the backend counts it. */
  compliant: number;
  rotationOverdue: number;
  dormant: number;
  reviewOverdue: number;
  /** Open (non-excepted) serious findings (high or critical: nhi-common's isSeriousFinding). */
  highFindings: number;
}

export function countIdentities(
  items: IdentityView[],
  total: number,
): IdentityCounts {
  const counts: IdentityCounts = {
    total,
    counted: items.length,
    compliant: 0,
    rotationOverdue: 0,
    dormant: 0,
    reviewOverdue: 0,
    highFindings: 0,
  };
  for (const { status } of items) {
    if (!status) continue;
    const open = status.findings.filter(f => !f.exception);
    if (open.every(f => f.severity === 'low')) counts.compliant++;
    if (['overdue', 'expired'].includes(status.rotation.status)) {
      counts.rotationOverdue++;
    }
    if (['dormant', 'never-used'].includes(status.usage.status)) {
      counts.dormant++;
    }
    if (status.review.status === 'overdue') counts.reviewOverdue++;
    counts.highFindings += open.filter(isSeriousFinding).length;
  }
  return counts;
}
