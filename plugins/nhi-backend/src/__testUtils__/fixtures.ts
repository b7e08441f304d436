import { DateTime } from 'luxon';
import type { IdentityFacts, IdentityRecord } from '../engine/types';

/** "Now" in tests: the day the example data was written. */
export const TEST_NOW = DateTime.fromISO('2026-11-29T12:00:00Z', {
  zone: 'utc',
});

/** A well-kept production API key of the payments team; tests override what they examine. */
export const anIdentity = (
  name: string,
  extra: Partial<IdentityRecord> = {},
): IdentityRecord => ({
  ref: `machineidentity:default/${name}`,
  type: 'api-key',
  owner: 'group:default/payments',
  usedBy: ['component:default/payments-api'],
  environment: 'production',
  provider: 'stripe',
  scopes: ['charges:write'],
  privilege: 'write',
  credential: { createdAt: '2026-10-01', lastRotatedAt: '2026-11-01' },
  approval: { approvedBy: 'user:default/sam', approvedAt: '2026-10-01' },
  ...extra,
});

/** Healthy on every count: recently rotated, approved, used, owned, narrowly scoped. */
export function healthy(): { identity: IdentityRecord; facts: IdentityFacts } {
  return {
    identity: {
      ref: 'machineidentity:default/payments-db-writer',
      type: 'service-account',
      owner: 'group:default/payments',
      system: 'system:default/payments',
      usedBy: ['component:default/payments-api'],
      environment: 'production',
      provider: 'aws-iam',
      externalId: 'arn:aws:iam::123456789012:user/payments-db-writer',
      purpose: 'Settlement writes',
      scopes: ['rds:payments:write'],
      privilege: 'write',
      credential: {
        rotation: 'automatic',
        createdAt: '2026-01-10',
        lastRotatedAt: '2026-11-01',
      },
      approval: { approvedBy: 'user:sam.okafor', approvedAt: '2026-01-09' },
    },
    facts: {
      ownerExists: true,
      usedByStates: { 'component:default/payments-api': 'active' },
      credentialEnvironments: ['production'],
      usage: { lastUsedAt: '2026-11-28', providerMonitored: true },
      interactiveLogins: { count: 0 },
      authFailures: { lastDay: 0, dailyAverage: 0 },
      governance: {},
      sources: [],
    },
  };
}
