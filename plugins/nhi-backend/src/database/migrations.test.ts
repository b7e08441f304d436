import { KnexStatusStore } from '../status/store/KnexStatusStore';
import type { Knex } from 'knex';
import {
  createTestDatabases,
  expectedDatabaseIds,
} from '../__testUtils__/databases';
import {
  applyDatabaseMigrations,
  migrationsDirectory,
  rollbackDatabaseMigrations,
} from './migrations';

jest.setTimeout(60_000);

/** Applies migrations one at a time until `version` is the current one. */
async function migrateUpTo(knex: Knex, version: string) {
  const directory = migrationsDirectory();
  while ((await knex.migrate.currentVersion({ directory })) !== version) {
    await knex.migrate.up({ directory });
  }
}

/** An identity row as the early migrations define it. */
const identityRow = (name: string) => ({
  ref: `machineidentity:default/${name}`,
  namespace: 'default',
  name,
  type: 'api-key',
  scopes: '[]',
  used_by: '[]',
  credential: '{}',
  source: 'catalog',
  spec_hash: 'x',
  first_seen_at: '2026-11-01T00:00:00.000Z',
  updated_at: '2026-11-01T00:00:00.000Z',
});

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
  'nhi_identity_facts',
  'nhi_campaigns',
  'nhi_review_items',
  'nhi_review_decisions',
  'nhi_remediations',
  'nhi_exceptions',
  'nhi_approvals',
  'nhi_identity_governance',
  'nhi_discovery_sources',
  'nhi_discovery_runs',
  'nhi_discovered_credentials',
  'nhi_job_leases',
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

  it.each(databases.eachSupportedId())(
    'fills in event facts from the events already stored on %s',
    async databaseId => {
      const knex = await databases.init(databaseId);
      // Up to the migration before the facts table, with events stored, then the rest.
      await migrateUpTo(knex, '20261201');
      await knex('nhi_identities').insert([
        identityRow('a'),
        identityRow('quiet'),
      ]);
      await knex('nhi_events').insert(
        [
          ['r1', 'rotated', '2026-11-20T08:00:00.000Z'],
          ['r0', 'issued', '2026-10-01T08:00:00.000Z'],
          ['v1', 'revoked', '2026-11-21T08:00:00.000Z'],
          ['l1', 'interactive-login', '2026-11-22T08:00:00.000Z'],
        ].map(([id, type, at]) => ({
          id,
          identity_ref: 'machineidentity:default/a',
          type,
          occurred_at: at,
          received_at: at,
          attributes: '{}',
        })),
      );
      await knex('nhi_usage_daily').insert([
        {
          identity_ref: 'machineidentity:default/a',
          day: '2026-11-27',
          uses: 3,
          auth_failures: 2,
          last_used_at: '2026-11-27T10:00:00.000Z',
          sources: '[]',
        },
        {
          identity_ref: 'machineidentity:default/a',
          day: '2026-11-28',
          uses: 1,
          auth_failures: 0,
          last_used_at: '2026-11-28T09:00:00.000Z',
          sources: '[]',
        },
      ]);

      await applyDatabaseMigrations(knex);
      expect(await knex('nhi_identity_facts').select()).toEqual([
        {
          identity_ref: 'machineidentity:default/a',
          last_used_at: '2026-11-28T09:00:00.000Z',
          last_rotation_event_at: '2026-11-20T08:00:00.000Z',
          last_revoked_at: '2026-11-21T08:00:00.000Z',
          last_expired_event_at: null,
          last_login_at: '2026-11-22T08:00:00.000Z',
          last_auth_failure_day: '2026-11-27',
          anomalies: null,
        },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps every usage, idempotency and fact row when the event tables are rebuilt, up and down, on %s',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const directory = migrationsDirectory();
      await migrateUpTo(knex, '20261202');
      await knex('nhi_identities').insert(identityRow('a'));
      const usage = {
        identity_ref: 'machineidentity:default/a',
        day: '2026-11-27',
        uses: 3,
        auth_failures: 2,
        last_used_at: '2026-11-27T10:00:00.000Z',
        sources: '["10.0.0.1"]',
      };
      await knex('nhi_usage_daily').insert(usage);
      await knex('nhi_rolled_up_event_ids').insert({
        id: 'e-1',
        day: '2026-11-27',
      });
      await knex('nhi_identity_facts').insert({
        identity_ref: 'machineidentity:default/a',
        last_used_at: '2026-11-27T10:00:00.000Z',
      });
      const rows = async () => ({
        // PostgreSQL answers bigint columns as strings.
        usage: (await knex('nhi_usage_daily').select()).map(u => ({
          ...u,
          uses: Number(u.uses),
          auth_failures: Number(u.auth_failures),
        })),
        ids: await knex('nhi_rolled_up_event_ids').select(),
        facts: await knex('nhi_identity_facts').select('identity_ref'),
      });
      const expected = {
        usage: [usage],
        ids: [{ id: 'e-1', day: '2026-11-27' }],
        facts: [{ identity_ref: 'machineidentity:default/a' }],
      };
      const sqlite = databaseId.startsWith('SQLITE');
      /** How SQLite stores the three tables; PostgreSQL has one way. */
      const storage = async () =>
        sqlite
          ? [
              ...new Set(
                (
                  await knex('sqlite_master')
                    .where({ type: 'table' })
                    .whereIn('name', [
                      'nhi_usage_daily',
                      'nhi_rolled_up_event_ids',
                      'nhi_identity_facts',
                    ])
                    .select('sql')
                ).map(t =>
                  /without rowid\s*$/i.test(t.sql) ? 'without rowid' : 'rowid',
                ),
              ),
            ]
          : ['heap'];

      await knex.migrate.up({ directory });
      expect(await rows()).toEqual(expected);
      expect(await storage()).toEqual([sqlite ? 'without rowid' : 'heap']);
      // The rebuilt tables still refuse a second row for one key.
      await expect(
        knex('nhi_rolled_up_event_ids').insert({
          id: 'e-1',
          day: '2026-11-28',
        }),
      ).rejects.toHaveProperty(
        'message',
        // SQLite's error comes from a native module, not always an Error of the test's realm.
        expect.stringMatching(/UNIQUE constraint failed|duplicate key/),
      );

      await knex.migrate.down({ directory });
      expect(await rows()).toEqual(expected);
      expect(await storage()).toEqual([sqlite ? 'rowid' : 'heap']);
    },
  );

  it.each(databases.eachSupportedId())(
    'keep every discovery run when its warnings are added and taken away on %s',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const directory = migrationsDirectory();
      await migrateUpTo(knex, '20261214');
      const [, pending] = await knex.migrate.list({ directory });
      expect(pending[0]).toMatchObject({
        file: '20261216_discovery_warnings.js',
      });
      const run = {
        source_id: 'aws-prod',
        started_at: '2026-12-01T09:00:00.000Z',
        finished_at: '2026-12-01T09:00:02.000Z',
        status: 'ok',
        rows_read: 40,
        credentials: 52,
        error: null,
      };
      await knex('nhi_discovery_runs').insert(run);
      const runs = async () =>
        (await knex('nhi_discovery_runs').select()).map(r => ({
          ...r,
          id: undefined,
          rows_read: Number(r.rows_read),
          credentials: Number(r.credentials),
          ...('warning_count' in r
            ? { warning_count: Number(r.warning_count) }
            : {}),
        }));

      await knex.migrate.up({ directory });
      // A run from before warnings were counted had none.
      expect(await runs()).toEqual([
        { ...run, id: undefined, warning_count: 0, warnings: null },
      ]);
      await knex('nhi_discovery_runs').update({
        warning_count: 1,
        warnings: JSON.stringify([
          { location: 'row 4', field: 'user', reason: 'is empty' },
        ]),
      });

      await knex.migrate.down({ directory });
      expect(await runs()).toEqual([{ ...run, id: undefined }]);
    },
  );

  it('answer the scheduled recompute from one covering index on SQLite', async () => {
    const knex = await databases.init('SQLITE_3');
    await applyDatabaseMigrations(knex);
    const { sql, bindings } = new KnexStatusStore(knex)
      .recomputePageQuery({
        after: '',
        limit: 5000,
      })
      .toSQL();
    const plan = await knex.raw(`explain query plan ${sql}`, [...bindings]);
    expect(plan.map((p: { detail: string }) => p.detail)).toEqual([
      expect.stringContaining(
        'USING COVERING INDEX nhi_identities_recompute_idx',
      ),
      expect.stringContaining('nhi_identity_facts'),
      expect.stringContaining('nhi_identity_governance'),
    ]);
  });
});
