import type { DateTime } from 'luxon';
import type { IdentityStatus } from '@nhi-governance/plugin-nhi-common';
import type { Policy } from '../policy/Policy';
import { FindingRuleRegistry } from './FindingRuleRegistry';
import { computeFindings } from './findings';
import { riskScore } from './risk';
import { computeRotation } from './rotation';
import type { IdentityFacts, IdentityRecord } from './types';
import { computeUsage } from './usage';
import { applyExceptions, computeReview, openFindings } from './review';

const BUILT_IN_RULES = FindingRuleRegistry.withBuiltIns();

/**
 * The whole status of one identity. Pure: the same inputs (and rules) always give the same
 * status. `rules` are the built-ins plus those modules registered; the built-ins alone if absent.
 */
export function computeStatus(
  identity: IdentityRecord,
  facts: IdentityFacts,
  policy: Policy,
  now: DateTime,
  rules: FindingRuleRegistry = BUILT_IN_RULES,
): IdentityStatus {
  const rotation = computeRotation(identity, facts, policy, now);
  const usage = computeUsage(identity, facts, policy, now);
  const review = computeReview(facts.governance, policy, now);
  const findings = applyExceptions(
    computeFindings(
      { identity, facts, rotation, usage, review, policy, now },
      rules,
    ),
    facts.governance,
    now,
  );
  return {
    rotation,
    usage,
    review: { status: review },
    findings,
    risk: riskScore(identity, openFindings(findings)),
  };
}
