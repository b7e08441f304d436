import type { DateTime } from 'luxon';
import type { IdentityStatus } from '@nhi-governance/plugin-nhi-common';
import type { Policy } from '../policy/Policy';
import { computeFindings } from './findings';
import { riskScore } from './risk';
import { computeRotation } from './rotation';
import type { IdentityFacts, IdentityRecord } from './types';
import { computeUsage } from './usage';

/** The whole status of one identity. Pure: the same inputs always give the same status. */
export function computeStatus(
  identity: IdentityRecord,
  facts: IdentityFacts,
  policy: Policy,
  now: DateTime,
): IdentityStatus {
  const rotation = computeRotation(identity, facts, policy, now);
  const usage = computeUsage(identity, facts, policy, now);
  const findings = computeFindings({
    identity,
    facts,
    rotation,
    usage,
    policy,
    now,
  });
  return {
    rotation,
    usage,
    review: { status: facts.review },
    findings,
    risk: riskScore(identity, findings),
  };
}
