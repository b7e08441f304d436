import { createStores } from '../wiring/createStores';
import { randomBytes } from 'crypto';
import { Writable } from 'stream';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { TEST_NOW, anIdentity } from '../__testUtils__/fixtures';
import {
  createTestDatabases,
  expectedDatabaseIds,
} from '../__testUtils__/databases';
import { applyDatabaseMigrations } from '../database/migrations';
import { IdentityRegistry } from '../identities/IdentityRegistry';
import { DEFAULT_POLICY } from '../policy/Policy';
import { EvidenceService } from './EvidenceService';

jest.setTimeout(60_000);

const SCOPE = { period: { from: '2026-10-01', to: '2026-12-31' } };

/** A download that takes the first bytes and then never reads again, like a stalled browser. */
function stalledDownload() {
  let received = 0;
  const out = new Writable({
    highWaterMark: 1,
    write(chunk, _encoding, _done) {
      received += chunk.length;
    },
  });
  return { out, received: () => received };
}

describe('EvidenceService', () => {
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
        // Text that does not compress: the package outgrows every buffer on the way out.
        Array.from({ length: 300 }, (_, i) =>
          anIdentity(`key-${i}`, {
            purpose: randomBytes(1000).toString('hex'),
          }),
        ),
        '2026-10-02T00:00:00.000Z',
      );
    });

    it('runs one export at a time across replicas, and a download that goes away ends its export', async () => {
      const service = new EvidenceService(createStores(knex), DEFAULT_POLICY);
      const stalled = stalledDownload();
      const first = service.export(
        SCOPE,
        stalled.out,
        'user:default/sam',
        TEST_NOW,
      );
      await new Promise(resolve => setTimeout(resolve, 200));
      expect(stalled.received()).toBeGreaterThan(0);
      // Another replica on the same database is refused as well, before it writes a byte.
      const replica = new EvidenceService(createStores(knex), DEFAULT_POLICY);
      const elsewhere = stalledDownload();
      await expect(
        replica.export(SCOPE, elsewhere.out, 'user:default/kim', TEST_NOW),
      ).rejects.toThrow(/An evidence export is already running, since 20/);
      expect(elsewhere.received()).toBe(0);
      await expect(
        service.export(
          SCOPE,
          stalledDownload().out,
          'user:default/sam',
          TEST_NOW,
        ),
      ).rejects.toThrow('already running');

      // The browser is closed: the export ends instead of waiting for it forever.
      stalled.out.destroy();
      await expect(first).rejects.toThrow();

      // And the next export runs, and is recorded.
      const chunks: Buffer[] = [];
      const manifest = await service.export(
        SCOPE,
        new Writable({
          write(chunk, _encoding, done) {
            chunks.push(chunk);
            done();
          },
        }),
        'user:default/sam',
        DateTime.utc(),
      );
      expect(chunks.length).toBeGreaterThan(0);
      expect((await service.listExports(1))[0]).toMatchObject({
        packageHash: manifest.packageHash,
        exportedBy: 'user:default/sam',
      });
    });
  });
});
