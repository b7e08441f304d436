import { createHash } from 'crypto';
import type {
  IdentityView,
  ReviewSnapshot,
} from '@nhi-governance/plugin-nhi-common';
import { canonicalJson } from '../ledger/canonicalJson';
import { openFindings } from '../engine/review';

/** What the reviewer is asked to confirm, as the identity stands when the campaign opens. */
export function reviewSnapshot(identity: IdentityView): ReviewSnapshot {
  const { status } = identity;
  return {
    identity: identity.ref,
    type: identity.type,
    ...(identity.owner ? { owner: identity.owner } : {}),
    ...(identity.backupOwner ? { backupOwner: identity.backupOwner } : {}),
    ...(identity.purpose ? { purpose: identity.purpose } : {}),
    scopes: identity.scopes,
    ...(identity.privilege ? { privilege: identity.privilege } : {}),
    usedBy: identity.usedBy,
    ...(identity.system ? { system: identity.system } : {}),
    ...(identity.environment ? { environment: identity.environment } : {}),
    ...(identity.approval ? { approval: identity.approval } : {}),
    rotation: status
      ? {
          status: status.rotation.status,
          ...(status.rotation.lastRotatedAt
            ? { lastRotatedAt: status.rotation.lastRotatedAt }
            : {}),
          ...(status.rotation.dueAt ? { dueAt: status.rotation.dueAt } : {}),
          ...(status.rotation.expiresAt
            ? { expiresAt: status.rotation.expiresAt }
            : {}),
        }
      : {},
    usage: status
      ? {
          status: status.usage.status,
          ...(status.usage.lastUsedAt
            ? { lastUsedAt: status.usage.lastUsedAt }
            : {}),
        }
      : {},
    ...(status ? { review: status.review.status } : {}),
    findings: openFindings(status?.findings ?? []).map(f => ({
      code: f.code,
      severity: f.severity,
      title: f.title,
    })),
  };
}

/** SHA-256 of the snapshot's canonical JSON: what the ledger records of it. */
export const snapshotHash = (snapshot: ReviewSnapshot) =>
  createHash('sha256').update(canonicalJson(snapshot)).digest('hex');
