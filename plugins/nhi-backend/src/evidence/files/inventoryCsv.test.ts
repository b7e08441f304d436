import { createStores } from '../../wiring/createStores';
import type { Knex } from 'knex';
import { parse } from 'csv-parse/sync';
import { verifyPackage } from '@nhi-governance/nhi-evidence';
import { anIdentity } from '../../__testUtils__/fixtures';
import { seedEvidenceQuarter } from '../../__testUtils__/evidenceScenario';
import { createTestDatabases } from '../../__testUtils__/databases';
import { exportPackage, unzip } from '../../__testUtils__/evidencePackage';
import { applyDatabaseMigrations } from '../../database/migrations';
import { IdentityRegistry } from '../../identities/IdentityRegistry';

jest.setTimeout(60_000);

const QUARTER = { from: '2026-10-01', to: '2026-12-31' };
const PAY_A = 'machineidentity:default/pay-a';

const inventoryOf = (files: Map<string, Buffer>) =>
  parse(files.get('inventory.csv')!, { columns: true }) as Record<
    string,
    string
  >[];

describe('inventory.csv of a past period', () => {
  const databases = createTestDatabases();
  let knex: Knex;

  beforeAll(async () => {
    knex = await databases.init('SQLITE_3');
    await applyDatabaseMigrations(knex);
    await seedEvidenceQuarter(knex);
    // After the quarter, pay-a changes hands.
    await new IdentityRegistry(createStores(knex)).applySnapshot(
      'catalog',
      [
        anIdentity('pay-a', { owner: 'group:default/billing' }),
        anIdentity('pay-b', { purpose: '=HYPERLINK("http://evil","x")' }),
      ],
      '2027-01-15T00:00:00.000Z',
    );
  });

  it('shows each identity as the ledger recorded it when the period ended, and verifies', async () => {
    const { zip } = await exportPackage(knex, QUARTER);
    const payA = inventoryOf(await unzip(zip)).find(r => r.identity === PAY_A);
    expect(payA?.owner).toBe('group:default/payments');
    expect(await verifyPackage(zip)).toMatchObject({ ok: true });

    const { zip: later } = await exportPackage(knex, {
      from: '2027-01-01',
      to: '2027-03-31',
    });
    const now = inventoryOf(await unzip(later)).find(r => r.identity === PAY_A);
    expect(now?.owner).toBe('group:default/billing');
    expect(await verifyPackage(later)).toMatchObject({ ok: true });
  });
});
