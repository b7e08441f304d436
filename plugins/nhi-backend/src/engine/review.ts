import type { DateTime } from 'luxon';
import type { Finding, ReviewStatus } from '@nhi-governance/plugin-nhi-common';
import type { Policy } from '../policy/Policy';
import { parseDate, plus } from './dates';
import type { GovernanceFacts } from './types';

/**
 * Where the identity stands in recertification: overdue when an item of an open campaign is
 * past its due date undecided, or when the last review is older than the cadence; due when a
 * campaign waits for it or the cadence ends within the due-soon window.
 */
export function computeReview(
  governance: GovernanceFacts,
  policy: Policy,
  now: DateTime,
): ReviewStatus {
  const pendingDue = parseDate(governance.reviewDueAt);
  if (pendingDue && pendingDue <= now) return 'overdue';
  const reviewed = parseDate(governance.lastReviewedAt);
  if (reviewed) {
    const due = plus(reviewed, policy.reviewCadence);
    if (due <= now) return 'overdue';
    if (pendingDue || due.minus(policy.dueSoonWindow) <= now) return 'due';
    return 'current';
  }
  return pendingDue ? 'due' : 'never-reviewed';
}

/** The moments at which computeReview's answer could change with time alone. */
export function reviewChangeTimes(
  governance: GovernanceFacts,
  policy: Policy,
): Array<DateTime | undefined> {
  const reviewed = parseDate(governance.lastReviewedAt);
  const due = reviewed && plus(reviewed, policy.reviewCadence);
  return [
    parseDate(governance.reviewDueAt),
    due,
    due?.minus(policy.dueSoonWindow),
    ...(governance.exceptions ?? []).map(e => parseDate(e.expiresAt)),
    ...(governance.remediations ?? []).map(r => parseDate(r.dueAt)),
  ];
}

/**
 * Marks the findings an approved, unexpired exception covers. An excepted finding is still
 * shown, with its exception, but no longer counts; at expiry it counts again.
 */
export function applyExceptions(
  findings: Finding[],
  governance: GovernanceFacts,
  now: DateTime,
): Finding[] {
  const exceptions = governance.exceptions;
  if (!exceptions?.length) return findings;
  return findings.map(finding => {
    const covering = exceptions
      .filter(e => e.finding === finding.code)
      .filter(e => {
        const expires = parseDate(e.expiresAt);
        return expires !== undefined && expires > now;
      })
      .sort((a, b) => b.expiresAt.localeCompare(a.expiresAt))[0];
    return covering
      ? {
          ...finding,
          exception: {
            id: covering.id,
            expiresAt: covering.expiresAt,
            approvedBy: covering.approvedBy,
          },
        }
      : finding;
  });
}

/** Findings that count: those no exception covers. */
export const openFindings = <T extends { exception?: unknown }>(
  findings: T[],
): T[] => findings.filter(f => !f.exception);
