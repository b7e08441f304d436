import { createStores } from '../../wiring/createStores';
import { anIdentity as identity } from '../../__testUtils__/fixtures';
import type { Knex } from 'knex';
import type { IdentityView } from '@nhi-governance/plugin-nhi-common';
import {
  createTestDatabases,
  expectedDatabaseIds,
} from '../../__testUtils__/databases';
import { IdentityRegistry } from '../IdentityRegistry';
import { IdentityFilter, IdentityPage } from './IdentityQueryStore';
import { applyDatabaseMigrations } from '../../database/migrations';

jest.setTimeout(60_000);

const name = (i: IdentityView) => i.ref.replace('machineidentity:default/', '');

describe('listIdentities', () => {
  const databases = createTestDatabases();

  it('runs on every database the test command provides', () => {
    expect(databases.eachSupportedId().flat()).toEqual(expectedDatabaseIds);
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      await new IdentityRegistry(createStores(knex)).applySnapshot(
        'catalog',
        [
          identity('paid'),
          identity('data', { owner: 'group:default/data' }),
          identity('platform', { owner: 'group:default/platform' }),
          identity('unowned', { owner: undefined }),
          identity('unowned-too', { owner: undefined, type: 'certificate' }),
          identity('stale'),
          identity('new', { owner: 'group:default/data' }),
        ],
        '2026-11-28T00:00:00.000Z',
      );
      // The status columns as a recompute leaves them; `new` arrived after the last one, so it
      // has none yet (NULL). Written directly: these tests are about the query, not the engine.
      const statusColumns: Record<string, object> = {
        paid: { rotation_status: 'ok', review_status: 'due', compliant: true },
        data: { rotation_status: 'due-soon', compliant: true },
        platform: { rotation_status: 'expired', compliant: false },
        unowned: { rotation_status: 'ok', compliant: false },
        'unowned-too': { rotation_status: 'exempt', compliant: true },
        stale: {
          rotation_status: 'overdue',
          review_status: 'overdue',
          compliant: false,
        },
      };
      for (const [n, columns] of Object.entries(statusColumns)) {
        await knex('nhi_identities')
          .where({ name: n })
          .update({ review_status: 'never-reviewed', ...columns });
      }
    });

    const stored = async (column: string) =>
      Object.fromEntries(
        (await knex('nhi_identities').select('name', column)).map(r => [
          r.name,
          r[column],
        ]),
      );

    const list = (filter: IdentityFilter, page: Partial<IdentityPage> = {}) =>
      createStores(knex).identityQueries.listIdentities(filter, {
        sort: 'name',
        order: 'asc',
        limit: 500,
        offset: 0,
        ...page,
      });

    describe('sorts NULLs last in both directions', () => {
      it.each(['asc', 'desc'] as const)('by owner, %s', async order => {
        const { items } = await list({}, { sort: 'owner', order });
        const owners = items.map(i => i.owner);
        const present = owners.filter(o => o !== undefined);
        expect(present.length).toBeGreaterThan(0);
        expect(owners).toEqual([
          ...[...present].sort((a, b) =>
            order === 'asc' ? a!.localeCompare(b!) : b!.localeCompare(a!),
          ),
          undefined,
          undefined,
        ]);
      });

      it.each(['asc', 'desc'] as const)(
        'by rotation status, %s',
        async order => {
          const rotation = await stored('rotation_status');
          const { items } = await list({}, { sort: 'rotation', order });
          const statuses = items.map(i => rotation[name(i)]);
          const present = statuses.filter(s => s !== null);
          expect(statuses).toEqual([
            ...[...present].sort((a, b) =>
              order === 'asc' ? a.localeCompare(b) : b.localeCompare(a),
            ),
            null,
          ]);
        },
      );

      it('and pages through them in a stable order', async () => {
        const whole = (await list({}, { sort: 'owner', order: 'desc' })).items;
        const pages = [];
        for (let offset = 0; offset < whole.length; offset += 2) {
          pages.push(
            ...(
              await list({}, { sort: 'owner', order: 'desc', limit: 2, offset })
            ).items,
          );
        }
        expect(pages.map(name)).toEqual(whole.map(name));
      });
    });

    describe('filters', () => {
      it('by review status', async () => {
        const { items, totalItems } = await list({
          review: ['due', 'overdue'],
        });
        expect(items.map(name)).toEqual(['paid', 'stale']);
        expect(totalItems).toBe(2);
      });

      it('by compliance, leaving out identities not computed yet', async () => {
        const compliance = await stored('compliant');
        const expected = (value: boolean) =>
          Object.keys(compliance)
            .filter(
              n => compliance[n] !== null && Boolean(compliance[n]) === value,
            )
            .sort();
        const compliant = (await list({ compliant: true })).items.map(name);
        const nonCompliant = (await list({ compliant: false })).items.map(name);

        expect(compliant).toEqual(expected(true));
        expect(nonCompliant).toEqual(expected(false));
        expect(compliant.length).toBeGreaterThan(0);
        expect(nonCompliant.length).toBeGreaterThan(0);
        expect([...compliant, ...nonCompliant]).not.toContain('new');
      });

      it('by compliance together with other filters and the totals', async () => {
        const { items, totalItems } = await list({
          compliant: false,
          review: ['overdue'],
        });
        expect(items.map(name)).toEqual(['stale']);
        expect(totalItems).toBe(1);
      });
    });
  });
});
