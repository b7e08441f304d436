import { createStores } from '../../wiring/createStores';
import type { Knex } from 'knex';
import { createTestDatabases } from '../../__testUtils__/databases';
import { applyDatabaseMigrations } from '../../database/migrations';

const PERIOD = {
  from: '2026-10-01T00:00:00.000Z',
  to: '2027-01-01T00:00:00.000Z',
};
const REFS = ['machineidentity:default/a', 'machineidentity:default/b'];

/**
 * The query plans SQLite picks for the evidence export's readers. SQLite keeps no statistics
 * here, so a plan chosen on an empty table is the plan it runs at 500,000 identities: an
 * export once walked the index of every status change ever recorded, for each batch of 500.
 */
describe('the evidence readers on SQLite', () => {
  const databases = createTestDatabases();
  let knex: Knex;
  let plans: string[][];

  beforeAll(async () => {
    knex = await databases.init('SQLITE_3');
    await applyDatabaseMigrations(knex);
  });

  /** The plan of every query `run` sends. */
  async function plansOf(run: () => Promise<unknown>) {
    const queries: Array<{ sql: string; bindings: unknown[] }> = [];
    const listener = (q: { sql: string; bindings: unknown[] }) =>
      queries.push(q);
    knex.on('query', listener);
    try {
      await run();
    } finally {
      knex.removeListener('query', listener);
    }
    plans = [];
    for (const q of queries) {
      const plan = await knex.raw(
        `explain query plan ${q.sql}`,
        q.bindings as Knex.RawBinding[],
      );
      plans.push(plan.map((p: { detail: string }) => p.detail));
    }
    return plans;
  }

  it("reads each batch's status changes and registrations by subject", async () => {
    for (const plan of [
      ...(await plansOf(() =>
        createStores(knex).evidence.statusChangesOf(REFS, PERIOD),
      )),
      ...(await plansOf(() =>
        createStores(knex).evidence.registrationEntries(REFS, 10),
      )),
    ]) {
      expect(plan.join(' | ')).not.toContain('nhi_ledger_kind_idx');
    }
    expect(plans.flat().join(' | ')).not.toMatch(/SCAN nhi_ledger\b/);
    const [bySubject] = await plansOf(() =>
      createStores(knex).evidence.statusChangesOf(REFS, PERIOD),
    );
    expect(bySubject.join(' | ')).toContain('nhi_ledger_subject_idx');
  });

  it("reads each batch's last rotations by identity", async () => {
    const [plan] = await plansOf(() =>
      createStores(knex).evidence.lastRotationsOf(REFS, PERIOD),
    );
    expect(plan.join(' | ')).toContain('nhi_events_identity_idx');
  });

  it('pages through lifecycle events in index order, without sorting', async () => {
    await knex.batchInsert(
      'nhi_events',
      Array.from({ length: 1001 }, (_, i) => ({
        id: `e-${String(i).padStart(4, '0')}`,
        identity_ref: REFS[i % 2],
        type: 'rotated',
        occurred_at: '2026-11-01T00:00:00.000Z',
        received_at: '2026-11-01T00:00:00.000Z',
        attributes: '{}',
      })),
      200,
    );
    const rows: any[] = [];
    const pages = await plansOf(async () => {
      for await (const row of createStores(knex).evidence.lifecycleEventRows(
        PERIOD,
      ))
        rows.push(row);
    });
    // All 1001 events of one instant, each once, across two pages of the same type.
    expect(new Set(rows.map(r => r.id)).size).toBe(1001);
    for (const plan of pages) {
      expect(plan.join(' | ')).toContain('nhi_events_type_idx');
      expect(plan.join(' | ')).not.toContain('TEMP B-TREE');
    }
    await knex('nhi_events').delete();
  });

  it('walks the ledger slice on its primary key', async () => {
    const pages = await plansOf(async () => {
      const slice = await createStores(knex).evidence.ledgerSliceOf(PERIOD, 5);
      for await (const _ of createStores(knex).evidence.ledgerRows(slice)) {
        // every page
      }
    });
    for (const plan of pages) {
      expect(plan.join(' | ')).not.toContain('TEMP B-TREE');
    }
  });
});
