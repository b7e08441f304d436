import { DateTime } from 'luxon';
import type { IdentityRecord } from '../engine/types';

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
