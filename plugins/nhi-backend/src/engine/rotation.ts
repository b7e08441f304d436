import type { DateTime } from 'luxon';
import type { IdentityStatus } from '@nhi-governance/plugin-nhi-common';
import { Policy, rotationPeriodFor } from '../policy/Policy';
import { daysBetween, inDays, isoDay, latest, parseDate, plus } from './dates';
import { inactiveAtSource } from './cisAws';
import type { IdentityFacts, IdentityRecord } from './types';

/**
 * Rotation status. Expiry wins over everything (a `revoked` or `expired` event counts, unless an
 * `issued` or `rotated` event came after it); exempt types hold no static secret; otherwise
 * the credential's age since its last change (rotation, issue or creation, whichever is latest,
 * from the entity or from events) is measured against the rotation period.
 */
export function computeRotation(
  identity: IdentityRecord,
  facts: IdentityFacts,
  policy: Policy,
  now: DateTime,
): IdentityStatus['rotation'] {
  const { credential } = identity;
  const reissued = parseDate(facts.lastRotationEventAt);
  const ended = (at?: string) => {
    const d = parseDate(at);
    return d && (!reissued || d > reissued) && d <= now ? d : undefined;
  };
  // A revoked or expired event ends the credential until an issue or rotation event follows.
  const revoked = ended(facts.lastRevokedAt);
  if (revoked) {
    return { status: 'expired', revokedAt: isoDay(revoked) };
  }
  const expiredEvent = ended(facts.lastExpiredEventAt);
  if (expiredEvent) {
    return { status: 'expired', expiresAt: isoDay(expiredEvent) };
  }
  const expires = parseDate(credential.expiresAt);
  const expiresAt = expires ? isoDay(expires) : undefined;
  if (expires && expires < now) {
    return { status: 'expired', expiresAt };
  }
  // A type that holds no static secret, or a credential its source says no longer works
  // (an inactive AWS key): nothing to rotate while it stays so.
  if (policy.exemptTypes.includes(identity.type) || inactiveAtSource(facts)) {
    return { status: 'exempt', expiresAt };
  }
  const last = latest(
    parseDate(credential.lastRotatedAt),
    parseDate(credential.createdAt),
    parseDate(facts.lastRotationEventAt),
  );
  if (!last) {
    return { status: 'no-rotation-data', expiresAt };
  }
  const period = rotationPeriodFor(
    policy,
    identity.type,
    identity.environment,
    credential.rotationPeriod,
  );
  const due = plus(last, period);
  const detail = {
    lastRotatedAt: isoDay(last),
    ageDays: daysBetween(last, now),
    periodDays: inDays(period),
    dueAt: isoDay(due),
    expiresAt,
  };
  if (now > due) return { status: 'overdue', ...detail };
  const soon = plus(now, policy.dueSoonWindow);
  if (due <= soon || (expires && expires <= soon)) {
    return { status: 'due-soon', ...detail };
  }
  return { status: 'ok', ...detail };
}
