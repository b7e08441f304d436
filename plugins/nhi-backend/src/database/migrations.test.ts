import {
  createTestDatabases,
  expectedDatabaseIds,
} from '../__testUtils__/databases';
import {
  applyDatabaseMigrations,
  rollbackDatabaseMigrations,
} from './migrations';

jest.setTimeout(60_000);

const TABLES = [
  'nhi_identities',
  'nhi_identity_usages',
  'nhi_identity_findings',
  'nhi_ledger',
  'nhi_ledger_head',
  'nhi_events',
  'nhi_usage_daily',
  'nhi_rolled_up_event_ids',
  'nhi_rollups',
  'nhi_rollup_history',
];

describe('migrations', () => {
  const databases = createTestDatabases();

  it('run on every database the test command provides', () => {
    expect(databases.eachSupportedId().flat()).toEqual(expectedDatabaseIds);
  });

  it.each(databases.eachSupportedId())(
    'go up, down and up again on %s',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const tables = async () =>
        Promise.all(TABLES.map(t => knex.schema.hasTable(t)));

      await applyDatabaseMigrations(knex);
      expect(await tables()).toEqual(TABLES.map(() => true));
      expect(await knex('nhi_ledger_head').select('seq', 'hash')).toEqual([
        { seq: expect.anything(), hash: '0'.repeat(64) },
      ]);

      await rollbackDatabaseMigrations(knex);
      expect(await tables()).toEqual(TABLES.map(() => false));

      await applyDatabaseMigrations(knex);
      expect(await tables()).toEqual(TABLES.map(() => true));
    },
  );
});
