import { createStores } from '../../wiring/createStores';
import knexFactory, { Knex } from 'knex';
import { hashEntry, verifyChain } from '../chain';
import {
  createTestDatabases,
  expectedDatabaseIds,
} from '../../__testUtils__/databases';
import { applyDatabaseMigrations } from '../../database/migrations';
import type { LedgerDraft } from '../LedgerDraft';

jest.setTimeout(120_000);

const AT = '2026-11-29T12:00:00.000Z';
const draft = (
  n: number,
  subject = 'machineidentity:default/a',
): LedgerDraft => ({
  kind: 'event.ingested',
  subject,
  payload: { n, type: 'rotated', nested: { z: n, a: [n] } },
});

describe('the ledger table', () => {
  const databases = createTestDatabases();

  it('runs on every database the test command provides', () => {
    expect(databases.eachSupportedId().flat()).toEqual(expectedDatabaseIds);
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;
    const verify = async () =>
      verifyChain(
        createStores(knex).ledger.readLedger(2),
        await createStores(knex).ledger.readLedgerHead(),
      );

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
    });

    it('chains entries across transactions and verifies them', async () => {
      await knex.transaction(trx =>
        createStores(trx).ledger.appendLedgerEntries(
          [draft(1), draft(2), draft(3)],
          AT,
        ),
      );
      const [fourth] = await knex.transaction(trx =>
        createStores(trx).ledger.appendLedgerEntries(
          [draft(4, 'machineidentity:default/b')],
          AT,
        ),
      );
      expect(fourth.seq).toBe(4);
      expect(await verify()).toEqual({
        ok: true,
        entries: 4,
        headHash: fourth.hash,
      });
      const aboutA = await createStores(knex).ledger.readLedgerFor(
        'machineidentity:default/a',
      );
      expect(aboutA.map(e => e.seq)).toEqual([3, 2, 1]);
      expect(aboutA[0].payload).toEqual({
        n: 3,
        type: 'rotated',
        nested: { z: 3, a: [3] },
      });
    });

    it('verifies against the head it started from, whatever is appended meanwhile', async () => {
      await knex.transaction(trx =>
        createStores(trx).ledger.appendLedgerEntries([draft(1), draft(2)], AT),
      );
      const head = await createStores(knex).ledger.readLedgerHead();
      await knex.transaction(trx =>
        createStores(trx).ledger.appendLedgerEntries([draft(3)], AT),
      );
      expect(
        await verifyChain(
          createStores(knex).ledger.readLedger(1000, head.seq),
          head,
        ),
      ).toMatchObject({
        ok: true,
        entries: 2,
      });
      expect(await createStores(knex).ledger.verifyLedger()).toMatchObject({
        ok: true,
        entries: 3,
      });
    });

    it('records nothing when the transaction that carries the change fails', async () => {
      await knex.transaction(trx =>
        createStores(trx).ledger.appendLedgerEntries([draft(1)], AT),
      );
      await expect(
        knex.transaction(async trx => {
          await createStores(trx).ledger.appendLedgerEntries([draft(2)], AT);
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      const [{ n }] = await knex('nhi_ledger').count({ n: '*' });
      expect(Number(n)).toBe(1);
      expect((await createStores(knex).ledger.readLedgerHead()).seq).toBe(1);
      expect(await verify()).toMatchObject({ ok: true, entries: 1 });
    });

    it('reports an entry edited directly in the database', async () => {
      await knex.transaction(trx =>
        createStores(trx).ledger.appendLedgerEntries(
          [1, 2, 3].map(n => draft(n)),
          AT,
        ),
      );
      await knex('nhi_ledger')
        .where({ seq: 2 })
        .update({ payload: '{"n":99}' });
      expect(await verify()).toEqual({
        ok: false,
        entries: 1,
        firstBrokenSeq: 2,
        reason: 'entry 2 was changed after it was written',
      });
    });

    it('reports an entry removed from the middle or the end', async () => {
      await knex.transaction(trx =>
        createStores(trx).ledger.appendLedgerEntries(
          [1, 2, 3, 4].map(n => draft(n)),
          AT,
        ),
      );
      await knex('nhi_ledger').where({ seq: 4 }).delete();
      expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: 4 });
      await knex('nhi_ledger').where({ seq: 2 }).delete();
      expect(await verify()).toMatchObject({
        ok: false,
        firstBrokenSeq: 2,
        reason:
          'entry 2 is missing: entry 3 comes after entry 1 (entries were removed or reordered)',
      });
    });

    it('reports a re-hashed entry that no longer links to its successor', async () => {
      await knex.transaction(trx =>
        createStores(trx).ledger.appendLedgerEntries(
          [1, 2, 3].map(n => draft(n)),
          AT,
        ),
      );
      // A forger who rewrites entry 2 consistently still breaks entry 3's link.
      const [row] = await knex('nhi_ledger').where({ seq: 2 });
      const forged = {
        seq: 2,
        recordedAt: row.recorded_at,
        kind: row.kind,
        subject: row.subject,
        payload: { n: 99 },
        prevHash: row.prev_hash,
      };
      await knex('nhi_ledger')
        .where({ seq: 2 })
        .update({ payload: '{"n":99}', hash: hashEntry(forged) });
      expect(await verify()).toMatchObject({
        ok: false,
        firstBrokenSeq: 3,
        reason: 'entry 3 does not link to entry 2',
      });
    });
  });

  // Two replicas are two connection pools on one PostgreSQL database. In-memory SQLite has one
  // connection, so there the two writers interleave on it.
  it.each(databases.eachSupportedId())(
    'never forks when two writers append at once on %s',
    async databaseId => {
      const first = await databases.init(databaseId);
      await applyDatabaseMigrations(first);
      const second = databaseId.startsWith('POSTGRES')
        ? knexFactory(first.client.config)
        : first;
      try {
        const writer = (knex: Knex, name: string) =>
          Promise.all(
            Array.from({ length: 25 }, (_, i) =>
              knex.transaction(trx =>
                createStores(trx).ledger.appendLedgerEntries(
                  [draft(i, name), draft(i + 100, name)],
                  AT,
                ),
              ),
            ),
          );
        await Promise.all([
          writer(first, 'replica-1'),
          writer(second, 'replica-2'),
        ]);
        const result = await verifyChain(
          createStores(first).ledger.readLedger(),
          await createStores(first).ledger.readLedgerHead(),
        );
        expect(result).toMatchObject({ ok: true, entries: 100 });
      } finally {
        if (second !== first) await second.destroy();
      }
    },
  );
});
