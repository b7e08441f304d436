import { createStores } from '../wiring/createStores';
import type { Knex } from 'knex';
import {
  createTestDatabases,
  expectedDatabaseIds,
} from '../__testUtils__/databases';
import { applyDatabaseMigrations } from '../database/migrations';
import { blockNextLedgerWrite } from '../__testUtils__/ledgerFailure';

import { verifyChain } from '../ledger/chain';
import type { IdentityRecord } from '../engine/types';
import { IdentityRegistry } from './IdentityRegistry';

jest.setTimeout(60_000);

const record = (
  name: string,
  extra: Partial<IdentityRecord> = {},
): IdentityRecord => ({
  ref: `machineidentity:default/${name}`,
  type: 'api-key',
  owner: 'group:default/payments',
  usedBy: ['component:default/payments-api'],
  scopes: ['charges:write'],
  credential: { createdAt: '2026-01-10' },
  ...extra,
});

async function ledgerKinds(knex: Knex) {
  const kinds: string[] = [];
  for await (const e of createStores(knex).ledger.readLedger())
    kinds.push(`${e.kind} ${e.subject}`);
  return kinds;
}

async function presentRefs(knex: Knex) {
  const page = await createStores(knex).status.readRecomputePage({
    after: '',
    limit: 1000,
  });
  return page.map(i => i.ref);
}

describe('IdentityRegistry', () => {
  const databases = createTestDatabases();

  it('runs on every database the test command provides', () => {
    expect(databases.eachSupportedId().flat()).toEqual(expectedDatabaseIds);
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;
    let registry: IdentityRegistry;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      registry = new IdentityRegistry(createStores(knex));
    });

    it('registers, changes and removes identities, recording each in the ledger', async () => {
      expect(
        await registry.applySnapshot(
          'catalog',
          [record('a'), record('b')],
          '2026-11-01T00:00:00.000Z',
        ),
      ).toEqual({ added: 2, changed: 0, removed: 0, unchanged: 0 });

      expect(
        await registry.applySnapshot(
          'catalog',
          [record('a', { scopes: ['charges:read'] }), record('c')],
          '2026-11-02T00:00:00.000Z',
        ),
      ).toEqual({ added: 1, changed: 1, removed: 1, unchanged: 0 });

      expect(
        await registry.applySnapshot(
          'catalog',
          [record('a', { scopes: ['charges:read'] }), record('c')],
          '2026-11-03T00:00:00.000Z',
        ),
      ).toEqual({
        added: 0,
        changed: 0,
        removed: 0,
        unchanged: 2,
      });

      expect(await presentRefs(knex)).toEqual([
        'machineidentity:default/a',
        'machineidentity:default/c',
      ]);
      const b = await createStores(knex).identities.readIdentity(
        'machineidentity:default/b',
      );
      expect(b?.removedAt).toBe('2026-11-02T00:00:00.000Z');
      const a = await createStores(knex).identities.readIdentity(
        'machineidentity:default/a',
      );
      expect(a?.record.scopes).toEqual(['charges:read']);
      expect(a?.firstSeenAt).toBe('2026-11-01T00:00:00.000Z');

      expect(await ledgerKinds(knex)).toEqual([
        'identity.registered machineidentity:default/a',
        'identity.registered machineidentity:default/b',
        'identity.changed machineidentity:default/a',
        'identity.registered machineidentity:default/c',
        'identity.removed machineidentity:default/b',
      ]);
      expect(
        await verifyChain(
          createStores(knex).ledger.readLedger(),
          await createStores(knex).ledger.readLedgerHead(),
        ),
      ).toMatchObject({ ok: true });
    });

    it('registers each identity once when two syncs run at the same time', async () => {
      const snapshot = [record('a'), record('b')];
      await Promise.all([
        new IdentityRegistry(createStores(knex)).applySnapshot(
          'catalog',
          snapshot,
          '2026-11-01T00:00:00.000Z',
        ),
        new IdentityRegistry(createStores(knex)).applySnapshot(
          'catalog',
          snapshot,
          '2026-11-01T00:00:00.000Z',
        ),
      ]);
      expect(await ledgerKinds(knex)).toEqual([
        'identity.registered machineidentity:default/a',
        'identity.registered machineidentity:default/b',
      ]);
    });

    it('registers an identity again when it comes back', async () => {
      await registry.applySnapshot(
        'catalog',
        [record('a')],
        '2026-11-01T00:00:00.000Z',
      );
      await registry.applySnapshot('catalog', [], '2026-11-02T00:00:00.000Z');
      await registry.applySnapshot(
        'catalog',
        [record('a')],
        '2026-11-03T00:00:00.000Z',
      );
      expect(
        (
          await createStores(knex).identities.readIdentity(
            'machineidentity:default/a',
          )
        )?.removedAt,
      ).toBeUndefined();
      expect(await ledgerKinds(knex)).toEqual([
        'identity.registered machineidentity:default/a',
        'identity.removed machineidentity:default/a',
        'identity.registered machineidentity:default/a',
      ]);
    });

    it('changes nothing when the ledger cannot be written', async () => {
      await registry.applySnapshot(
        'catalog',
        [record('a')],
        '2026-11-01T00:00:00.000Z',
      );
      const unblock = await blockNextLedgerWrite(knex);
      await expect(
        registry.applySnapshot(
          'catalog',
          [record('a', { privilege: 'admin' }), record('b')],
          '2026-11-02T00:00:00.000Z',
        ),
      ).rejects.toMatchObject({
        // better-sqlite3's error class belongs to the first test file's realm, so match the
        // message rather than `instanceof Error`.
        message: expect.stringMatching(/nhi_ledger/),
      });
      await unblock();

      expect(await presentRefs(knex)).toEqual(['machineidentity:default/a']);
      expect(
        (
          await createStores(knex).identities.readIdentity(
            'machineidentity:default/a',
          )
        )?.record.privilege,
      ).toBeUndefined();
      expect((await createStores(knex).ledger.readLedgerHead()).seq).toBe(1);
    });

    it('keeps the components that use each identity queryable', async () => {
      await registry.applySnapshot(
        'catalog',
        [
          record('a', {
            usedBy: ['component:default/x', 'component:default/y'],
          }),
          record('b'),
        ],
        '2026-11-01T00:00:00.000Z',
      );
      const users = await knex('nhi_identity_usages')
        .where({ entity_ref: 'component:default/x' })
        .select('identity_ref');
      expect(users).toEqual([{ identity_ref: 'machineidentity:default/a' }]);
    });
  });
});
