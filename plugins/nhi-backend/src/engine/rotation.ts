import type { DateTime } from 'luxon';
import type { IdentityStatus } from '@nhi-governance/plugin-nhi-common';
import { Policy, rotationPeriodFor } from '../policy/Policy';
import { daysBetween, isoDay, latest, parseDate } from './dates';
import type { IdentityFacts, IdentityRecord } from './types';

/**
 * Rotation status. Expiry wins over everything; exempt types hold no static secret; otherwise
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
  const expires = parseDate(credential.expiresAt);
  const expiresAt = expires ? isoDay(expires) : undefined;
  if (expires && expires < now) {
    return { status: 'expired', expiresAt };
  }
  if (policy.exemptTypes.includes(identity.type)) {
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
  const due = last.plus(period);
  const detail = {
    lastRotatedAt: isoDay(last),
    ageDays: daysBetween(last, now),
    periodDays: Math.round(period.as('days')),
    dueAt: isoDay(due),
    expiresAt,
  };
  if (now > due) return { status: 'overdue', ...detail };
  const soon = now.plus(policy.dueSoonWindow);
  if (due <= soon || (expires && expires <= soon)) {
    return { status: 'due-soon', ...detail };
  }
  return { status: 'ok', ...detail };
}
