import { createStores } from '../../wiring/createStores';
import { copyFileSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { Knex } from 'knex';
import { Duration } from 'luxon';
import {
  createTestDatabases,
  expectedDatabaseIds,
} from '../../__testUtils__/databases';
import { applyDatabaseMigrations } from '../../database/migrations';
import { IdentityRegistry } from '../../identities/IdentityRegistry';
import { SourceRunner } from '../SourceRunner';
import type { DiscoverySource } from '../sourceSettings';

jest.setTimeout(60_000);

const CI_DEPLOYER = 'arn:aws:iam::123456789012:user/ci-deployer';

/** A leak scan replaces the last one only once it was read in full. */
describe('LeakImporter', () => {
  const databases = createTestDatabases();

  it('runs on every database the test command provides', () => {
    expect(databases.eachSupportedId().flat()).toEqual(expectedDatabaseIds);
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;
    const path = join(mkdtempSync(join(tmpdir(), 'nhi-leaks-')), 'scan.jsonl');
    const source: DiscoverySource = {
      id: 'scan',
      format: 'trufflehog',
      location: { path },
      frequency: Duration.fromISO('P1D'),
    };
    const leaks = async () =>
      (await knex('nhi_identity_sources').where('source_id', 'scan')).map(r => [
        r.identity_ref,
        JSON.parse(r.facts).leaks.length,
      ]);

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      await new IdentityRegistry(createStores(knex)).applySnapshot(
        'catalog',
        [
          {
            ref: 'machineidentity:default/ci-deployer',
            type: 'service-account',
            usedBy: [],
            provider: 'aws-iam',
            externalId: CI_DEPLOYER,
            scopes: [],
            credential: {},
          },
        ],
        new Date().toISOString(),
      );
    });

    it('matches a verified leak to the identity of its principal, and keeps it through a bad scan', async () => {
      copyFileSync(
        join(__dirname, '..', '__fixtures__', 'trufflehog.jsonl'),
        path,
      );
      const runner = new SourceRunner(createStores(knex));
      await runner.register([source]);
      expect(await runner.run(source)).toMatchObject({
        status: 'ok',
        summary: { matched: 1 },
      });
      expect(await leaks()).toEqual([
        ['machineidentity:default/ci-deployer', 1],
      ]);

      writeFileSync(
        path,
        '{"SourceMetadata": "not an object", "DetectorName": 7}\n',
      );
      const failed = await runner.run(source);
      expect(failed).toMatchObject({
        status: 'failed',
        error: expect.stringMatching(/^scan: trufflehog line 1/),
      });
      expect(await leaks()).toEqual([
        ['machineidentity:default/ci-deployer', 1],
      ]);
    });
  });
});
