import { createStores } from '../../wiring/createStores';
import { TEST_NOW, anIdentity as identity } from '../../__testUtils__/fixtures';
import type { Knex } from 'knex';
import {
  createTestDatabases,
  expectedDatabaseIds,
} from '../../__testUtils__/databases';
import { IdentityRegistry } from '../../identities/IdentityRegistry';
import { DEFAULT_POLICY } from '../../policy/Policy';
import { StatusRecomputer } from '../StatusRecomputer';
import { applyDatabaseMigrations } from '../../database/migrations';

jest.setTimeout(60_000);

const NOW = TEST_NOW;
const CATALOG = {
  existingOwners: new Set(['group:default/payments', 'group:default/data']),
  entityStates: new Map([
    ['component:default/payments-api', 'active' as const],
  ]),
};

describe('rollups', () => {
  const databases = createTestDatabases();

  it('run on every database the test command provides', () => {
    expect(databases.eachSupportedId().flat()).toEqual(expectedDatabaseIds);
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      await new IdentityRegistry(createStores(knex)).applySnapshot(
        'catalog',
        [
          identity('ok-1'),
          identity('ok-2', { type: 'certificate' }),
          identity('stale', {
            credential: {
              createdAt: '2023-01-01',
              lastRotatedAt: '2023-02-14',
            },
          }),
          identity('orphan', { owner: 'group:default/gone' }),
          identity('unapproved', {
            owner: 'group:default/data',
            approval: undefined,
            privilege: 'admin',
          }),
        ],
        '2026-11-28T00:00:00.000Z',
      );
      await new StatusRecomputer(createStores(knex), DEFAULT_POLICY).recompute(
        CATALOG,
        NOW,
      );
    });

    it('counts the whole population', async () => {
      const { total } = await createStores(knex).rollups.readRollups('all');
      expect(total).toEqual({
        identities: 5,
        compliant: 2,
        compliantPct: 40,
        rotationOverdue: 1,
        expired: 0,
        orphaned: 1,
        dormant: 0,
        unapproved: 1,
        // admin + unapproved + unmonitored in production with admin privilege
        highRisk: 1,
      });
    });

    it('groups by owner, largest first', async () => {
      const { rows } = await createStores(knex).rollups.readRollups('owner');
      expect(rows.map(r => [r.key, r.identities, r.compliant])).toEqual([
        ['group:default/payments', 3, 2],
        ['group:default/data', 1, 0],
        ['group:default/gone', 1, 0],
      ]);
    });

    it('groups by finding', async () => {
      const { rows } = await createStores(knex).rollups.readRollups('finding');
      const byCode = Object.fromEntries(rows.map(r => [r.key, r.identities]));
      expect(byCode).toMatchObject({
        unmonitored: 5,
        'rotation-overdue': 1,
        'owner-orphaned': 1,
        unapproved: 1,
        overprivileged: 1,
      });
    });

    it('keeps one history point per day, replaced when the day is recomputed', async () => {
      const recomputer = new StatusRecomputer(
        createStores(knex),
        DEFAULT_POLICY,
      );
      await recomputer.recompute(CATALOG, NOW);
      // Stale leaves the catalog.
      await new IdentityRegistry(createStores(knex)).applySnapshot(
        'catalog',
        [
          identity('ok-1'),
          identity('ok-2', { type: 'certificate' }),
          identity('orphan', { owner: 'group:default/gone' }),
          identity('unapproved', {
            owner: 'group:default/data',
            approval: undefined,
            privilege: 'admin',
          }),
        ],
        '2026-11-30T00:00:00.000Z',
      );
      await recomputer.recompute(CATALOG, NOW.plus({ days: 1 }));
      const trend = await createStores(knex).rollups.readTrend(
        'all',
        '',
        '2026-11-01',
      );
      expect(trend.map(p => [p.day, p.identities, p.rotationOverdue])).toEqual([
        ['2026-11-29', 5, 1],
        ['2026-11-30', 4, 0],
      ]);
    });
  });
});
