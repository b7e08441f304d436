import type { DateTime } from 'luxon';
import type { IdentityStatus } from '@nhi-governance/plugin-nhi-common';
import type { Policy } from '../policy/Policy';
import { daysBetween, isoDay, latest, parseDate, plus } from './dates';
import { inactiveAtSource } from './cisAws';
import type { IdentityFacts, IdentityRecord } from './types';

/** What a recompute must notice of recent use: that it is recent, not each newer time. */
export const RECENT_USE = 'recent';

/** Month arithmetic clamps to a month's end; a use this much later is clear of any doubt. */
const BOUNDARY_MARGIN = { days: 3 };

/**
 * From when a use counts as recent for usageAsInput: certainly not dormant as of `now`, with a
 * margin, so that the bucket never disagrees with computeUsage (a use inside the margin keeps
 * its exact time in the digest, which is always safe).
 */
export const recentUseFrom = (policy: Policy, now: DateTime) =>
  now.minus(policy.dormancyThreshold).plus(BOUNDARY_MARGIN).toUTC().toISO()!;

/**
 * The facts as a status depends on them, for the digest that decides whether to recompute. A
 * newer use of an identity in active use changes nothing but the day it was last used, which
 * is read live (fromStoredStatus); the moment it could turn dormant only moves later, and a
 * recompute at the earlier moment finds it still active. So a busy credential, used every
 * minute, is not recomputed on every batch of usage: only when it turns active or dormant.
 * `recentFrom` is recentUseFrom of the run; stored times are UTC ISO, so they compare as text.
 */
export function usageAsInput(
  facts: IdentityFacts,
  recentFrom: string,
): IdentityFacts {
  const { lastUsedAt } = facts.usage;
  if (!lastUsedAt || lastUsedAt < recentFrom) return facts;
  return { ...facts, usage: { ...facts.usage, lastUsedAt: RECENT_USE } };
}

/**
 * Usage status. A credential its source says no longer works gets no verdict. Without any usage evidence the portal cannot tell "never used" from "not
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
  if (inactiveAtSource(facts)) {
    // It cannot be used: no verdict of dormant or never used, only when it last was.
    return lastUsed
      ? {
          status: 'no-usage-data',
          lastUsedAt: isoDay(lastUsed),
          daysSinceUse: daysBetween(lastUsed, now),
        }
      : { status: 'no-usage-data' };
  }
  if (lastUsed) {
    const daysSinceUse = daysBetween(lastUsed, now);
    return {
      status:
        plus(lastUsed, policy.dormancyThreshold) < now ? 'dormant' : 'active',
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
