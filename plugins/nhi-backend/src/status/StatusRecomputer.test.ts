import { createStores } from '../wiring/createStores';
import { TEST_NOW, anIdentity as identity } from '../__testUtils__/fixtures';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import {
  createTestDatabases,
  expectedDatabaseIds,
} from '../__testUtils__/databases';
import { applyDatabaseMigrations } from '../database/migrations';
import { blockNextLedgerWrite } from '../__testUtils__/ledgerFailure';

import { verifyChain } from '../ledger/chain';
import { EventIngestor } from '../events/EventIngestor';
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

/** The findings each status.changed entry opened and closed, as "opened <name> <code>". */
async function ledger(knex: Knex) {
  const out: string[] = [];
  for await (const e of createStores(knex).ledger.readLedger()) {
    if (e.kind !== 'status.changed') continue;
    const name = e.subject?.replace('machineidentity:default/', '');
    const opened = (e.payload.findingsOpened ?? []) as Array<{ code: string }>;
    const closed = (e.payload.findingsClosed ?? []) as string[];
    out.push(...opened.map(f => `opened ${name} ${f.code}`));
    out.push(...closed.map(code => `closed ${name} ${code}`));
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
      await new IdentityRegistry(createStores(knex)).applySnapshot(
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
      const recomputer = new StatusRecomputer(
        createStores(knex),
        DEFAULT_POLICY,
      );
      const result = await recomputer.recompute(
        catalog(['group:default/payments']),
        NOW,
      );
      expect(result).toMatchObject({ identities: 5, statusChanges: 5 });

      const stale = await createStores(knex).identities.readIdentity(
        'machineidentity:default/stale',
      );
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
      expect(await ledger(knex)).toContain('opened orphan owner-orphaned');
    });

    it('records only what changed on the next run, and closes findings that are fixed', async () => {
      const recomputer = new StatusRecomputer(
        createStores(knex),
        DEFAULT_POLICY,
      );
      await recomputer.recompute(catalog(['group:default/payments']), NOW);
      const before = (await createStores(knex).ledger.readLedgerHead()).seq;

      const again = await recomputer.recompute(
        catalog(['group:default/payments']),
        NOW,
      );
      expect(again).toMatchObject({
        statusChanges: 0,
        findingsOpened: 0,
        findingsClosed: 0,
      });
      expect((await createStores(knex).ledger.readLedgerHead()).seq).toBe(
        before,
      );

      const fixed = await recomputer.recompute(
        catalog([
          'group:default/payments',
          'group:default/partner-integrations',
        ]),
        NOW,
      );
      expect(fixed).toMatchObject({ findingsClosed: 1, findingsOpened: 0 });
      expect((await ledger(knex)).pop()).toBe('closed orphan owner-orphaned');
      expect(
        await verifyChain(
          createStores(knex).ledger.readLedger(),
          await createStores(knex).ledger.readLedgerHead(),
        ),
      ).toMatchObject({ ok: true });
    });

    it('keeps when a finding was first opened while it stays open', async () => {
      const recomputer = new StatusRecomputer(
        createStores(knex),
        DEFAULT_POLICY,
      );
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

    it('rewrites nothing as days pass without a change, and reports ages as of today', async () => {
      const recomputer = new StatusRecomputer(
        createStores(knex),
        DEFAULT_POLICY,
      );
      await recomputer.recompute(catalog(['group:default/payments']), NOW);
      const head = (await createStores(knex).ledger.readLedgerHead()).seq;
      const later = await recomputer.recompute(
        catalog(['group:default/payments']),
        NOW.plus({ days: 2 }),
      );
      expect(later).toMatchObject({ statusChanges: 0, findingsOpened: 0 });
      expect((await createStores(knex).ledger.readLedgerHead()).seq).toBe(head);
      const row = await knex('nhi_identities')
        .where({ ref: 'machineidentity:default/stale' })
        .first();
      expect(row.status_computed_at).toBe(NOW.toISO());

      const stale = await createStores(knex).identities.readIdentity(
        'machineidentity:default/stale',
      );
      const ageToday = Math.floor(
        DateTime.utc().diff(
          DateTime.fromISO('2023-02-14', { zone: 'utc' }),
          'days',
        ).days,
      );
      expect(stale?.status?.rotation.ageDays).toBe(ageToday);
      expect(
        stale?.status?.findings.find(f => f.code === 'rotation-overdue'),
      ).toMatchObject({
        evidence: { ageDays: ageToday, lastRotatedAt: '2023-02-14' },
        openedAt: NOW.toISO(),
        title: 'Rotation overdue',
      });
    });

    it('moves the rollups by the difference when only some identities are recomputed', async () => {
      const recomputer = new StatusRecomputer(
        createStores(knex),
        DEFAULT_POLICY,
      );
      await recomputer.recompute(catalog(['group:default/payments']), NOW);
      const before = await createStores(knex).rollups.readRollups('all');
      expect(before.total).toMatchObject({ identities: 5, orphaned: 1 });

      await knex('nhi_identities')
        .where({ ref: 'machineidentity:default/orphan' })
        .update({ owner: 'group:default/payments' });
      await recomputer.recompute(catalog(['group:default/payments']), NOW, [
        'machineidentity:default/orphan',
      ]);
      const after = await createStores(knex).rollups.readRollups('all');
      expect(after.total).toMatchObject({ identities: 5, orphaned: 0 });
      const byFinding = await createStores(knex).rollups.readRollups('finding');
      expect(byFinding.rows.map(r => r.key)).not.toContain('owner-orphaned');
    });

    it('keeps the rollups in step through syncs that move, remove and bring back identities', async () => {
      const recomputer = new StatusRecomputer(
        createStores(knex),
        DEFAULT_POLICY,
      );
      const context = catalog(['group:default/payments']);
      const figures = async () =>
        Object.fromEntries(
          await Promise.all(
            (['all', 'owner', 'type', 'finding'] as const).map(
              async d =>
                [d, await createStores(knex).rollups.readRollups(d)] as const,
            ),
          ),
        );
      const sync = (records: ReturnType<typeof identity>[]) =>
        new IdentityRegistry(createStores(knex)).applySnapshot(
          'catalog',
          records,
          '2026-11-29T00:00:00.000Z',
        );
      const prodCopy = identity('prod-copy', {
        provider: 'aws-iam',
        externalId: 'arn:aws:iam::1:user/q',
      });
      const stagingCopy = identity('staging-copy', {
        provider: 'aws-iam',
        externalId: 'arn:aws:iam::1:user/q',
        environment: 'staging',
      });
      await recomputer.recompute(context, NOW);

      // The orphan gets a real owner, healthy becomes a certificate, stale leaves.
      await sync([
        identity('healthy', { type: 'certificate' }),
        identity('orphan', { owner: 'group:default/payments' }),
        prodCopy,
        stagingCopy,
      ]);
      await recomputer.recompute(context, NOW);
      const scheduled = await figures();
      expect(scheduled.all.total).toMatchObject({ identities: 4, orphaned: 0 });
      expect(scheduled.owner.rows.map(r => [r.key, r.identities])).toEqual([
        ['group:default/payments', 4],
      ]);
      await recomputer.recompute(context, NOW, undefined, { force: true });
      expect(await figures()).toEqual(scheduled);

      // Stale comes back, under another owner.
      await sync([
        identity('healthy', { type: 'certificate' }),
        identity('orphan', { owner: 'group:default/payments' }),
        identity('stale', {
          owner: 'group:default/data',
          credential: { createdAt: '2023-01-01', lastRotatedAt: '2023-02-14' },
        }),
        prodCopy,
        stagingCopy,
      ]);
      await recomputer.recompute(context, NOW);
      const back = await figures();
      expect(back.all.total).toMatchObject({
        identities: 5,
        rotationOverdue: 1,
        orphaned: 1,
      });
      await recomputer.recompute(context, NOW, undefined, { force: true });
      expect(await figures()).toEqual(back);
    });

    it('recomputes an identity in use only when its usage turns, and shows the latest use', async () => {
      const recomputer = new StatusRecomputer(
        createStores(knex),
        DEFAULT_POLICY,
      );
      const context = catalog(['group:default/payments']);
      const ingestor = new EventIngestor(createStores(knex));
      let n = 0;
      const use = (name: string, daysAgo: number) =>
        ingestor.ingest(
          {
            events: [
              {
                id: `use-${n++}`,
                type: 'used',
                occurredAt: NOW.minus({ days: daysAgo }).toISO(),
                identity: { ref: `machineidentity:default/${name}` },
              },
            ],
          },
          NOW,
        );
      const usage = async (name: string) =>
        (
          await createStores(knex).identities.readIdentity(
            `machineidentity:default/${name}`,
          )
        )?.status?.usage;
      await use('healthy', 10);
      await use('stale', 200);
      await recomputer.recompute(context, NOW);
      expect(await usage('healthy')).toMatchObject({
        status: 'active',
        lastUsedAt: NOW.minus({ days: 10 }).toISODate(),
      });
      expect(await usage('stale')).toMatchObject({ status: 'dormant' });

      // A newer use of an identity in use: nothing to recompute, the latest day shows.
      await use('healthy', 1);
      const busy = await recomputer.recompute(context, NOW, [
        'machineidentity:default/healthy',
      ]);
      expect(busy).toMatchObject({ skipped: 1, statusChanges: 0 });
      expect(await usage('healthy')).toMatchObject({
        status: 'active',
        lastUsedAt: NOW.minus({ days: 1 }).toISODate(),
        daysSinceUse: expect.any(Number),
      });

      // A dormant identity used again turns active, with its record.
      const head = (await createStores(knex).ledger.readLedgerHead()).seq;
      await use('stale', 1);
      const woken = await recomputer.recompute(context, NOW, [
        'machineidentity:default/stale',
      ]);
      expect(woken).toMatchObject({ skipped: 0, statusChanges: 1 });
      expect(await usage('stale')).toMatchObject({ status: 'active' });
      expect(await ledger(knex)).toContain('closed stale dormant');
      expect(
        (await createStores(knex).ledger.readLedgerHead()).seq,
      ).toBeGreaterThan(head);
    });

    it('records each change once when two recomputes run at the same time', async () => {
      const owners = catalog(['group:default/payments']);
      const results = await Promise.all([
        new StatusRecomputer(createStores(knex), DEFAULT_POLICY).recompute(
          owners,
          NOW,
        ),
        new StatusRecomputer(createStores(knex), DEFAULT_POLICY).recompute(
          owners,
          NOW,
        ),
      ]);
      expect(results[0].statusChanges + results[1].statusChanges).toBe(5);
      const changed: string[] = [];
      for await (const e of createStores(knex).ledger.readLedger()) {
        if (e.kind === 'status.changed') changed.push(e.subject!);
      }
      expect(changed.sort()).toEqual([...new Set(changed)].sort());
      expect(changed).toHaveLength(5);
    });

    it('changes no status when the ledger cannot be written', async () => {
      const unblock = await blockNextLedgerWrite(knex);
      await expect(
        new StatusRecomputer(createStores(knex), DEFAULT_POLICY).recompute(
          catalog([]),
          NOW,
        ),
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
      await new IdentityRegistry(createStores(knex)).applySnapshot(
        'catalog',
        Array.from({ length: 700 }, (_, i) => identity(`bulk-${i}`)),
        '2026-11-28T00:00:00.000Z',
      );
      const result = await new StatusRecomputer(
        createStores(knex),
        DEFAULT_POLICY,
      ).recompute(catalog([]), NOW);
      expect(result.identities).toBe(700);
      const [{ n }] = await knex('nhi_identity_findings').count({ n: '*' });
      expect(Number(n)).toBe(1400);
    });
  });
});
