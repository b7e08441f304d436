import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { IdentityRegistry } from '../src/identities/IdentityRegistry';
import { createStores } from '../src/wiring/createStores';

/** The access key ids the benchmarks' logs are spread over. */
export const benchKeyId = (i: number) =>
  `AKIABENCH${String(i).padStart(11, '0')}`;

/** `count` declared AWS access keys, as the catalog would sync them, for logs to count against. */
export async function declareKeys(knex: Knex, count: number) {
  await new IdentityRegistry(createStores(knex)).applySnapshot(
    'catalog',
    Array.from({ length: count }, (_, i) => ({
      ref: `machineidentity:default/bench-key-${i}`,
      type: 'api-key' as const,
      owner: 'group:default/payments',
      usedBy: [],
      provider: 'aws-iam',
      externalId: benchKeyId(i),
      scopes: [],
      credential: { createdAt: '2026-01-01' },
    })),
    DateTime.utc().toISO()!,
  );
}
