import type {
  FindingEvaluator,
  FindingEvidence,
  NhiFindingRule,
  RuleInput,
} from '@nhi-governance/plugin-nhi-node';
import { Finding, FindingCode } from '@nhi-governance/plugin-nhi-common';
import { daysBetween, inDays, isoDay, parseDate, plus } from './dates';
import type { IdentityFacts } from './types';
import { DISCOVERY_RULES } from './discoveryRules';
import { CIS_AWS_RULES, inactiveAtSource } from './cisAws';

export type { RuleInput } from '@nhi-governance/plugin-nhi-node';

type Evidence = FindingEvidence;

/** Each rule returns the evidence of its finding, or undefined when the identity is fine. */
export type Rule = FindingEvaluator;

const NON_PRODUCTION = (env: string) => env !== 'production';

// The built-in rules, one per finding code (registered in builtInRules.ts); those about what discovery sources say
// are in discoveryRules.ts.
export const BUILT_IN_RULES: Partial<Record<FindingCode, Rule>> = {
  'owner-missing': ({ identity }) => (identity.owner ? undefined : {}),

  'owner-orphaned': ({ identity, facts }) =>
    identity.owner && !facts.ownerExists
      ? { owner: identity.owner }
      : undefined,

  offboarding: ({ identity, facts }) => {
    const states = identity.usedBy.map(
      ref => facts.usedByStates[ref] ?? 'missing',
    );
    if (states.length === 0 || states.some(s => s === 'active'))
      return undefined;
    return {
      usedBy: identity.usedBy.map(
        ref => `${ref} (${facts.usedByStates[ref] ?? 'missing'})`,
      ),
    };
  },

  'rotation-overdue': ({ rotation }) =>
    rotation.status === 'overdue'
      ? {
          lastRotatedAt: rotation.lastRotatedAt!,
          ageDays: rotation.ageDays!,
          periodDays: rotation.periodDays!,
          dueAt: rotation.dueAt!,
        }
      : undefined,

  expired: ({ rotation }) =>
    rotation.status === 'expired'
      ? ((rotation.revokedAt
          ? { revokedAt: rotation.revokedAt }
          : { expiresAt: rotation.expiresAt! }) as Evidence)
      : undefined,

  'long-lived': ({ identity, policy, now }): Evidence | undefined => {
    const created = parseDate(identity.credential.createdAt);
    if (!created || policy.exemptTypes.includes(identity.type))
      return undefined;
    const expires = parseDate(identity.credential.expiresAt);
    const maxDays = inDays(policy.maxLifetime);
    if (expires) {
      const lifetimeDays = daysBetween(created, expires);
      return plus(created, policy.maxLifetime) < expires
        ? {
            createdAt: isoDay(created),
            expiresAt: isoDay(expires),
            lifetimeDays,
            maxDays,
          }
        : undefined;
    }
    // No expiry and never rotated by design: it lives until someone removes it.
    return identity.credential.rotation === 'none' &&
      plus(created, policy.maxLifetime) < now
      ? { createdAt: isoDay(created), expiresAt: 'never', maxDays }
      : undefined;
  },

  dormant: ({ usage, policy }) =>
    usage.status === 'dormant'
      ? {
          lastUsedAt: usage.lastUsedAt!,
          daysSinceUse: usage.daysSinceUse!,
          thresholdDays: inDays(policy.dormancyThreshold),
        }
      : undefined,

  'never-used': ({ identity, usage }) =>
    usage.status === 'never-used'
      ? { createdAt: identity.credential.createdAt ?? 'unknown' }
      : undefined,

  unmonitored: ({ identity, usage, facts }) =>
    usage.status === 'no-usage-data' && !facts.usage.providerMonitored
      ? { provider: identity.provider ?? 'unknown' }
      : undefined,

  overprivileged: ({ identity }) => {
    const wildcards = identity.scopes.filter(s => s.includes('*'));
    if (identity.privilege !== 'admin' && wildcards.length === 0)
      return undefined;
    return {
      ...(identity.privilege === 'admin' ? { privilege: 'admin' } : {}),
      ...(wildcards.length ? { wildcardScopes: wildcards } : {}),
    };
  },

  shared: ({ identity }) =>
    identity.usedBy.length > 1
      ? { usedBy: identity.usedBy, components: identity.usedBy.length }
      : undefined,

  'environment-mixing': ({ facts }) => {
    const envs = [...new Set(facts.credentialEnvironments)].sort();
    return envs.includes('production') && envs.some(NON_PRODUCTION)
      ? { environments: envs }
      : undefined;
  },

  unapproved: ({ identity, facts }) =>
    identity.approval || facts.governance.approval ? undefined : {},

  'human-use': ({ facts }) =>
    facts.interactiveLogins.count > 0
      ? {
          interactiveLogins: facts.interactiveLogins.count,
          lastAt: facts.interactiveLogins.lastAt ?? 'unknown',
        }
      : undefined,

  'auth-failure-spike': ({ facts, policy }) => {
    const { lastDay, dailyAverage } = facts.authFailures;
    const { minimum, factor } = policy.authFailureSpike;
    return lastDay >= minimum && lastDay >= factor * dailyAverage
      ? {
          failuresLastDay: lastDay,
          dailyAverage: Math.round(dailyAverage * 10) / 10,
        }
      : undefined;
  },

  'review-overdue': ({ review, facts }) =>
    review === 'overdue'
      ? {
          ...(facts.governance.lastReviewedAt
            ? { lastReviewedAt: facts.governance.lastReviewedAt }
            : {}),
          ...(facts.governance.reviewDueAt
            ? { reviewDueAt: facts.governance.reviewDueAt }
            : {}),
        }
      : undefined,

  ...DISCOVERY_RULES,
  ...CIS_AWS_RULES,

  'remediation-overdue': ({ facts, now }) => {
    const overdue = (facts.governance.remediations ?? []).filter(r => {
      const due = parseDate(r.dueAt);
      return due !== undefined && due <= now;
    });
    return overdue.length
      ? {
          remediations: overdue.map(r => `${r.kind} due ${r.dueAt}`),
        }
      : undefined;
  },
};

/**
 * What is not asked of a credential nobody declared that no longer works: the thing to do with
 * it is delete it (inactive-key), not declare, own, approve or watch it. Nor is a long life
 * held against a credential that cannot authenticate.
 */
const NOT_FOR_INACTIVE: ReadonlySet<FindingCode> = new Set<FindingCode>([
  'long-lived',
]);
const NOT_FOR_INACTIVE_DISCOVERED: ReadonlySet<FindingCode> =
  new Set<FindingCode>([
    ...NOT_FOR_INACTIVE,
    'undeclared',
    'owner-missing',
    'owner-orphaned',
    'unapproved',
    'unmonitored',
    'review-overdue',
  ]);

const skippedWhenInactive = (facts: IdentityFacts) =>
  facts.sources.some(s => s.discovered)
    ? NOT_FOR_INACTIVE_DISCOVERED
    : NOT_FOR_INACTIVE;

/**
 * Every finding that applies to the identity: the built-ins in the stable order of the finding
 * codes, then the modules' in the order they registered.
 */
export function computeFindings(
  input: RuleInput,
  rules: { list(): NhiFindingRule[] },
): Finding[] {
  const findings: Finding[] = [];
  const { facts } = input;
  const skipped = inactiveAtSource(facts)
    ? skippedWhenInactive(facts)
    : undefined;
  for (const rule of rules.list()) {
    if (skipped?.has(rule.code)) continue;
    const evidence = rule.evaluate(input);
    if (evidence) {
      findings.push({
        code: rule.code,
        severity: rule.severity,
        title: rule.title,
        explanation: rule.explanation,
        remediation: rule.remediation,
        evidence,
        controls: rule.controls,
      });
    }
  }
  return findings;
}
