import { createStores } from '../../wiring/createStores';
import { join } from 'path';
import type { Knex } from 'knex';
import { Duration } from 'luxon';
import {
  createTestDatabases,
  expectedDatabaseIds,
} from '../../__testUtils__/databases';
import { applyDatabaseMigrations } from '../../database/migrations';
import type { IdentityRecord } from '../../engine/types';
import { IdentityRegistry } from '../../identities/IdentityRegistry';
import { SourceRunner } from '../SourceRunner';
import type { DiscoverySource } from '../sourceSettings';

jest.setTimeout(60_000);

const ACCOUNT = 'arn:aws:iam::123456789012:';
const LEGACY = `${ACCOUNT}user/legacy-batch`;
const source: DiscoverySource = {
  id: 'aws',
  format: 'aws-credential-report',
  location: {
    path: join(__dirname, '..', '__fixtures__', 'aws-credential-report.csv'),
  },
  frequency: Duration.fromISO('PT1H'),
  authoritativeFor: ['*'],
};

const declared = (name: string, externalId: string): IdentityRecord => ({
  ref: `machineidentity:default/${name}`,
  type: 'service-account',
  owner: 'group:default/payments',
  usedBy: [],
  provider: 'aws-iam',
  externalId,
  scopes: [],
  credential: {},
});

/**
 * Claiming: a team declares what a source found, and the discovered identities give way to
 * the declaration; withdrawing the declaration brings them back. Each step is on the ledger.
 */
describe('CredentialReconciler', () => {
  const databases = createTestDatabases();

  it('runs on every database the test command provides', () => {
    expect(databases.eachSupportedId().flat()).toEqual(expectedDatabaseIds);
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;
    let runner: SourceRunner;
    let registry: IdentityRegistry;

    const discovered = async () =>
      knex('nhi_identities')
        .where('source', 'discovery:aws')
        .orderBy('ref')
        .select('ref', 'external_id', 'removed_at');
    const linkOf = async (ref: string) => {
      const row = await knex('nhi_identity_sources')
        .where({ identity_ref: ref, source_id: 'aws' })
        .first();
      return row && JSON.parse(row.facts);
    };
    const syncCatalog = (records: IdentityRecord[]) =>
      registry.applySnapshot('catalog', records, new Date().toISOString());

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      runner = new SourceRunner(createStores(knex));
      registry = new IdentityRegistry(createStores(knex));
      await runner.register([source]);
      await syncCatalog([declared('gone', `${ACCOUNT}user/gone`)]);
      const read = await runner.run(source);
      if (read.status !== 'ok') throw new Error(read.error);
    });

    it('keeps each undeclared credential as a discovered identity, and flags the declared one it no longer lists', async () => {
      const found = await discovered();
      expect(found.map(f => f.external_id)).toContain(`${LEGACY}#access_key_1`);
      expect(found.every(f => f.removed_at === null)).toBe(true);
      expect(await linkOf('machineidentity:default/gone')).toMatchObject({
        listed: false,
      });
    });

    it('gives way to a declaration, and comes back when the declaration goes', async () => {
      const legacyKeys = (await discovered()).filter(f =>
        f.external_id.startsWith(`${LEGACY}#`),
      );
      expect(legacyKeys).toHaveLength(2);

      // The team claims it by its principal; the catalog sync reconciles again.
      await syncCatalog([
        declared('gone', `${ACCOUNT}user/gone`),
        declared('legacy-batch', LEGACY),
      ]);
      expect(await runner.reconcileAll([source])).toEqual(['aws']);
      const claimed = (await discovered()).filter(f =>
        f.external_id.startsWith(`${LEGACY}#`),
      );
      expect(claimed.every(f => f.removed_at !== null)).toBe(true);
      expect(
        await linkOf('machineidentity:default/legacy-batch'),
      ).toMatchObject({
        listed: true,
        credentials: [
          expect.objectContaining({ externalId: `${LEGACY}#access_key_1` }),
          expect.objectContaining({ externalId: `${LEGACY}#access_key_2` }),
        ],
      });
      for (const f of claimed) expect(await linkOf(f.ref)).toBeUndefined();
      const removals = await knex('nhi_ledger')
        .where('kind', 'identity.removed')
        .whereIn(
          'subject',
          claimed.map(f => f.ref),
        );
      expect(removals).toHaveLength(2);

      // Withdrawn: the source's credentials are undeclared again.
      await syncCatalog([declared('gone', `${ACCOUNT}user/gone`)]);
      await runner.reconcileAll([source]);
      const back = (await discovered()).filter(f =>
        f.external_id.startsWith(`${LEGACY}#`),
      );
      expect(back.map(f => f.ref)).toEqual(legacyKeys.map(f => f.ref));
      expect(back.every(f => f.removed_at === null)).toBe(true);
      expect(await linkOf(back[0].ref)).toMatchObject({ discovered: true });
    });

    it('leaves a source alone when neither its read nor the declarations of its provider changed', async () => {
      const before = await knex('nhi_ledger').count({ n: '*' });
      expect(await runner.reconcileAll([source])).toEqual([]);
      expect(await knex('nhi_ledger').count({ n: '*' })).toEqual(before);
      // A declaration of another provider changes nothing for this source either.
      await syncCatalog([
        declared('gone', `${ACCOUNT}user/gone`),
        { ...declared('stripe-key', 'key-1'), provider: 'stripe' },
      ]);
      expect(await runner.reconcileAll([source])).toEqual([]);
    });
  });
});
