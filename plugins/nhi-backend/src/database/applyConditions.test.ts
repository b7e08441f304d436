import { createStores } from '../wiring/createStores';
import { anIdentity as identity } from '../__testUtils__/fixtures';
import type { Knex } from 'knex';
import {
  AuthorizeResult,
  type PermissionCondition,
  type PermissionCriteria,
  type PermissionRuleParams,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  createConditionTransformer,
} from '@backstage/plugin-permission-node';
import {
  IdentityView,
  NHI_IDENTITY_RESOURCE_TYPE,
} from '@nhi-governance/plugin-nhi-common';
import {
  createTestDatabases,
  expectedDatabaseIds,
} from '../__testUtils__/databases';

import { applyDatabaseMigrations } from '../database/migrations';
import { IdentityRegistry } from '../identities/IdentityRegistry';
import {
  IdentityQuery,
  identityRuleset,
  nhiIdentityConditions,
} from '../permissions/identityResource';

jest.setTimeout(60_000);

type Conditions = PermissionCriteria<
  PermissionCondition<typeof NHI_IDENTITY_RESOURCE_TYPE, PermissionRuleParams>
>;

const PAYMENTS = 'group:default/payments';
const PLATFORM = 'group:default/platform';
const BILLING = 'system:default/billing';

/** Some identities have no owner, backup owner or system: those columns are NULL. */
const IDENTITIES = [
  identity('paid', { owner: PAYMENTS, system: BILLING }),
  identity('platform', { owner: PLATFORM }),
  identity('backed-up', { owner: PLATFORM, backupOwner: PAYMENTS }),
  identity('unowned', { owner: undefined }),
  identity('unowned-billing', { owner: undefined, system: BILLING }),
];

const isOwner = (claims: string[]) =>
  nhiIdentityConditions.isIdentityOwner({ claims });
const inSystem = (systems: string[]) =>
  nhiIdentityConditions.isIdentityInSystem({ systems });
const hasType = (types: string[]) =>
  nhiIdentityConditions.hasIdentityType({ types });

const toQuery = createConditionTransformer(identityRuleset as any) as (
  c: Conditions,
) => PermissionCriteria<IdentityQuery>;
const isAllowed = createConditionAuthorizer(identityRuleset as any);

const nameOf = (ref: string) => ref.replace('machineidentity:default/', '');

describe('applyConditions', () => {
  const databases = createTestDatabases();

  it('runs on every database the test command provides', () => {
    expect(databases.eachSupportedId().flat()).toEqual(expectedDatabaseIds);
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;
    let views: IdentityView[];

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      await new IdentityRegistry(createStores(knex)).applySnapshot(
        'catalog',
        IDENTITIES,
        '2026-11-28T00:00:00.000Z',
      );
      views = (
        await createStores(knex).identityQueries.listIdentities(
          {},
          { sort: 'name', order: 'asc', limit: 500, offset: 0 },
        )
      ).items;
    });

    /** What the SQL lets through, and what the same rules allow in memory, by name. */
    async function visible(conditions: Conditions) {
      const { items, totalItems } = await createStores(
        knex,
      ).identityQueries.listIdentities(
        {},
        { sort: 'name', order: 'asc', limit: 500, offset: 0 },
        toQuery(conditions),
      );
      expect(totalItems).toBe(items.length);
      const inMemory = views
        .filter(v =>
          isAllowed(
            {
              result: AuthorizeResult.CONDITIONAL,
              pluginId: 'nhi',
              resourceType: NHI_IDENTITY_RESOURCE_TYPE,
              conditions,
            } as any,
            v,
          ),
        )
        .map(v => nameOf(v.ref));
      return { sql: items.map(i => nameOf(i.ref)), inMemory };
    }

    it('stores the NULLs these cases are about', async () => {
      const rows = await knex('nhi_identities')
        .whereNull('owner')
        .select('name');
      expect(rows.map(r => r.name).sort()).toEqual([
        'unowned',
        'unowned-billing',
      ]);
    });

    it.each<[string, Conditions, string[]]>([
      [
        'not IS_OWNER keeps identities without an owner or backup owner',
        { not: isOwner([PAYMENTS]) },
        ['platform', 'unowned', 'unowned-billing'],
      ],
      [
        'not IS_IN_SYSTEM keeps identities without a system',
        { not: inSystem([BILLING]) },
        ['backed-up', 'platform', 'unowned'],
      ],
      [
        'not (not IS_OWNER) is IS_OWNER',
        { not: { not: isOwner([PAYMENTS]) } },
        ['backed-up', 'paid'],
      ],
      [
        'not (IS_OWNER or IS_IN_SYSTEM)',
        { not: { anyOf: [isOwner([PLATFORM]), inSystem([BILLING])] } },
        ['unowned'],
      ],
      [
        'not (IS_OWNER and IS_IN_SYSTEM)',
        { not: { allOf: [isOwner([PAYMENTS]), inSystem([BILLING])] } },
        ['backed-up', 'platform', 'unowned', 'unowned-billing'],
      ],
      [
        'a negation inside allOf',
        { allOf: [hasType(['api-key']), { not: isOwner([PLATFORM]) }] },
        ['paid', 'unowned', 'unowned-billing'],
      ],
      [
        'not of an empty claim list keeps everything',
        { not: isOwner([]) },
        ['backed-up', 'paid', 'platform', 'unowned', 'unowned-billing'],
      ],
      ['an empty claim list keeps nothing', isOwner([]), []],
    ])('%s, in SQL as in memory', async (_title, conditions, expected) => {
      const { sql, inMemory } = await visible(conditions);
      expect(sql).toEqual(expected);
      expect(sql).toEqual(inMemory);
    });
  });
});
