import type { DateTime } from 'luxon';
import { Policy, rotationPeriodFor } from '../policy/Policy';
import { latest, parseDate, plus } from './dates';
import type { IdentityFacts, IdentityRecord } from './types';
import { reviewChangeTimes } from './review';
import { cisChangeTimes } from './cisAws';

/**
 * The earliest moment after `now` at which the passing of time alone could change the status
 * computed at `now`, or undefined when only new facts can change it. Every date that the
 * engine compares with the clock is a candidate, so the answer may come early (harmless: the
 * identity is recomputed and found unchanged) but never late.
 */
export function nextChangeAt(
  identity: IdentityRecord,
  facts: IdentityFacts,
  policy: Policy,
  now: DateTime,
): DateTime | undefined {
  const { credential } = identity;
  const candidates: Array<DateTime | undefined> = [];
  const expires = parseDate(credential.expiresAt);
  if (expires) {
    candidates.push(expires, expires.minus(policy.dueSoonWindow));
  }
  // Events a few minutes ahead of the clock take effect when it reaches them.
  candidates.push(
    parseDate(facts.lastRevokedAt),
    parseDate(facts.lastExpiredEventAt),
  );
  const created = parseDate(credential.createdAt);
  const last = latest(
    parseDate(credential.lastRotatedAt),
    created,
    parseDate(facts.lastRotationEventAt),
  );
  if (last) {
    const due = plus(
      last,
      rotationPeriodFor(
        policy,
        identity.type,
        identity.environment,
        credential.rotationPeriod,
      ),
    );
    candidates.push(due, due.minus(policy.dueSoonWindow));
  }
  const lastUsed = parseDate(facts.usage.lastUsedAt);
  if (lastUsed) candidates.push(plus(lastUsed, policy.dormancyThreshold));
  const since = latest(created, parseDate(facts.lastRotationEventAt));
  if (since && !lastUsed) {
    candidates.push(plus(since, policy.neverUsedGracePeriod));
  }
  if (created && !expires && credential.rotation === 'none') {
    candidates.push(plus(created, policy.maxLifetime));
  }
  // Login and failure counts, and the anomaly baseline, are over windows that move every day.
  const { interactiveLogins, authFailures } = facts;
  if (
    interactiveLogins.count > 0 ||
    authFailures.lastDay > 0 ||
    authFailures.dailyAverage > 0 ||
    facts.unusualDays?.length
  ) {
    candidates.push(now.toUTC().startOf('day').plus({ days: 1 }));
  }
  candidates.push(...reviewChangeTimes(facts.governance, policy));
  candidates.push(...cisChangeTimes(facts));
  let next: DateTime | undefined;
  for (const c of candidates) {
    if (c && c > now && (!next || c < next)) next = c;
  }
  return next;
}
