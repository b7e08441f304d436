import type { DateTime } from 'luxon';
import type { IdentityStatus } from '@nhi-governance/plugin-nhi-common';
import type { Policy } from '../policy/Policy';
import { daysBetween, isoDay, latest, parseDate, plus } from './dates';
import type { IdentityFacts, IdentityRecord } from './types';

const isDormant = (lastUsed: DateTime, policy: Policy, now: DateTime) =>
  plus(lastUsed, policy.dormancyThreshold) < now;

/** What a recompute must notice of recent use: that it is recent, not each newer time. */
export const RECENT_USE = 'recent';

/**
 * The facts as a status depends on them, for the digest that decides whether to recompute. A
 * newer use of an identity in active use changes nothing but the day it was last used, which
 * is read live (fromStoredStatus); the moment it could turn dormant only moves later, and a
 * recompute at the earlier moment finds it still active. So a busy credential, used every
 * minute, is not recomputed on every batch of usage: only when it turns active or dormant.
 */
export function usageAsInput(
  facts: IdentityFacts,
  policy: Policy,
  now: DateTime,
): IdentityFacts {
  const lastUsed = parseDate(facts.usage.lastUsedAt);
  if (!lastUsed || isDormant(lastUsed, policy, now)) return facts;
  return { ...facts, usage: { ...facts.usage, lastUsedAt: RECENT_USE } };
}

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
    return {
      status: isDormant(lastUsed, policy, now) ? 'dormant' : 'active',
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
