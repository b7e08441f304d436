import { TEST_NOW, anIdentity as identity } from '../__testUtils__/fixtures';
import type { Knex } from 'knex';
import {
  createTestDatabases,
  expectedDatabaseIds,
} from '../__testUtils__/databases';
import { applyDatabaseMigrations } from '../database/migrations';
import { blockNextLedgerWrite } from '../__testUtils__/ledgerFailure';
import { readIdentity } from '../database/identityTable';
import { readLedger, readLedgerHead } from '../database/ledgerTable';
import { verifyChain } from '../ledger/chain';
import { IdentityRegistry } from '../identities/IdentityRegistry';
import { DEFAULT_POLICY } from '../policy/Policy';
import type { CatalogContext } from './buildFacts';
import { StatusRecomputer } from './StatusRecomputer';

jest.setTimeout(60_000);

const NOW = TEST_NOW;

const catalog = (owners: string[]): CatalogContext => ({
  existingOwners: new Set(owners),
  entityStates: new Map([['component:default/payments-api', 'active']]),
});

async function ledger(knex: Knex) {
  const out: string[] = [];
  for await (const e of readLedger(knex)) {
    if (e.kind.startsWith('finding') || e.kind.startsWith('status')) {
      out.push(
        `${e.kind} ${e.subject?.replace(
          'machineidentity:default/',
          '',
        )} ${JSON.stringify(e.payload.code ?? e.payload)}`,
      );
    }
  }
  return out;
}

describe('StatusRecomputer', () => {
  const databases = createTestDatabases();

  it('runs on every database the test command provides', () => {
    expect(databases.eachSupportedId().flat()).toEqual(expectedDatabaseIds);
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      await new IdentityRegistry(knex).applySnapshot(
        'catalog',
        [
          identity('healthy'),
          identity('stale', {
            credential: {
              createdAt: '2023-01-01',
              lastRotatedAt: '2023-02-14',
            },
          }),
          identity('orphan', { owner: 'group:default/partner-integrations' }),
          identity('prod-copy', {
            provider: 'aws-iam',
            externalId: 'arn:aws:iam::1:user/q',
          }),
          identity('staging-copy', {
            provider: 'aws-iam',
            externalId: 'arn:aws:iam::1:user/q',
            environment: 'staging',
          }),
        ],
        '2026-11-28T00:00:00.000Z',
      );
    });

    it('stores each status and its findings, and records the findings opened', async () => {
      const recomputer = new StatusRecomputer(knex, DEFAULT_POLICY);
      const result = await recomputer.recompute(
        catalog(['group:default/payments']),
        NOW,
      );
      expect(result).toMatchObject({ identities: 5, statusChanges: 5 });

      const stale = await readIdentity(knex, 'machineidentity:default/stale');
      expect(stale?.status?.rotation).toMatchObject({
        status: 'overdue',
        lastRotatedAt: '2023-02-14',
      });
      const findings = await knex('nhi_identity_findings')
        .orderBy(['identity_ref', 'code'])
        .select('identity_ref', 'code');
      expect(
        findings.map(
          f =>
            `${f.identity_ref.replace('machineidentity:default/', '')} ${
              f.code
            }`,
        ),
      ).toEqual([
        'healthy unmonitored',
        'orphan owner-orphaned',
        'orphan unmonitored',
        'prod-copy environment-mixing',
        'prod-copy unmonitored',
        'staging-copy environment-mixing',
        'staging-copy unmonitored',
        'stale rotation-overdue',
        'stale unmonitored',
      ]);
      const row = await knex('nhi_identities')
        .where({ ref: 'machineidentity:default/stale' })
        .first();
      expect(row.rotation_status).toBe('overdue');
      expect(row.finding_count).toBe(2);
      expect(await ledger(knex)).toContain(
        'finding.opened orphan "owner-orphaned"',
      );
    });

    it('records only what changed on the next run, and closes findings that are fixed', async () => {
      const recomputer = new StatusRecomputer(knex, DEFAULT_POLICY);
      await recomputer.recompute(catalog(['group:default/payments']), NOW);
      const before = (await readLedgerHead(knex)).seq;

      const again = await recomputer.recompute(
        catalog(['group:default/payments']),
        NOW,
      );
      expect(again).toMatchObject({
        statusChanges: 0,
        findingsOpened: 0,
        findingsClosed: 0,
      });
      expect((await readLedgerHead(knex)).seq).toBe(before);

      const fixed = await recomputer.recompute(
        catalog([
          'group:default/payments',
          'group:default/partner-integrations',
        ]),
        NOW,
      );
      expect(fixed).toMatchObject({ findingsClosed: 1, findingsOpened: 0 });
      expect((await ledger(knex)).pop()).toBe(
        'finding.closed orphan "owner-orphaned"',
      );
      expect(
        await verifyChain(readLedger(knex), await readLedgerHead(knex)),
      ).toMatchObject({ ok: true });
    });

    it('keeps when a finding was first opened while it stays open', async () => {
      const recomputer = new StatusRecomputer(knex, DEFAULT_POLICY);
      await recomputer.recompute(catalog([]), NOW);
      await recomputer.recompute(catalog([]), NOW.plus({ days: 3 }));
      const row = await knex('nhi_identity_findings')
        .where({
          identity_ref: 'machineidentity:default/orphan',
          code: 'owner-orphaned',
        })
        .first();
      expect(row.opened_at).toBe('2026-11-29T12:00:00.000Z');
    });

    it('changes no status when the ledger cannot be written', async () => {
      const unblock = await blockNextLedgerWrite(knex);
      await expect(
        new StatusRecomputer(knex, DEFAULT_POLICY).recompute(catalog([]), NOW),
      ).rejects.toMatchObject({
        // better-sqlite3's error class belongs to the first test file's realm, so match the
        // message rather than `instanceof Error`.
        message: expect.stringMatching(/nhi_ledger/),
      });
      await unblock();
      const row = await knex('nhi_identities')
        .where({ ref: 'machineidentity:default/stale' })
        .first();
      expect(row.rotation_status).toBeNull();
      expect(await knex('nhi_identity_findings').select()).toEqual([]);
    });

    // knex writes multi-row inserts as compound SELECTs, which SQLite caps at 500 terms.
    it('stores the findings of a page larger than one insert can hold', async () => {
      await new IdentityRegistry(knex).applySnapshot(
        'catalog',
        Array.from({ length: 700 }, (_, i) => identity(`bulk-${i}`)),
        '2026-11-28T00:00:00.000Z',
      );
      const result = await new StatusRecomputer(knex, DEFAULT_POLICY).recompute(
        catalog([]),
        NOW,
      );
      expect(result.identities).toBe(700);
      const [{ n }] = await knex('nhi_identity_findings').count({ n: '*' });
      expect(Number(n)).toBe(1400);
    });
  });
});
