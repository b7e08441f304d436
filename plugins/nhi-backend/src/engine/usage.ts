import type { DateTime } from 'luxon';
import type { IdentityStatus } from '@nhi-governance/plugin-nhi-common';
import type { Policy } from '../policy/Policy';
import { daysBetween, isoDay, latest, parseDate, plus } from './dates';
import type { IdentityFacts, IdentityRecord } from './types';

/**
 * Usage status. Without any usage evidence the portal cannot tell "never used" from "not
 * watched", so an identity only counts as never used where its provider's usage is known to
 * reach the portal, and only after a grace period from its creation.
 */
export function computeUsage(
  identity: IdentityRecord,
  facts: IdentityFacts,
  policy: Policy,
  now: DateTime,
): IdentityStatus['usage'] {
  const lastUsed = parseDate(facts.usage.lastUsedAt);
  if (lastUsed) {
    const daysSinceUse = daysBetween(lastUsed, now);
    const dormant = plus(lastUsed, policy.dormancyThreshold) < now;
    return {
      status: dormant ? 'dormant' : 'active',
      lastUsedAt: isoDay(lastUsed),
      daysSinceUse,
    };
  }
  if (!facts.usage.providerMonitored) {
    return { status: 'no-usage-data' };
  }
  const since = latest(
    parseDate(identity.credential.createdAt),
    parseDate(facts.lastRotationEventAt),
  );
  if (since && plus(since, policy.neverUsedGracePeriod) > now) {
    // Too new to judge: no data yet, and not a finding.
    return { status: 'no-usage-data' };
  }
  return { status: 'never-used' };
}
