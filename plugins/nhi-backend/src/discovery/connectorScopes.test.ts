import { createStores } from '../wiring/createStores';
import { ConfigReader } from '@backstage/config';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import type { DiscoveredCredential } from '@nhi-governance/plugin-nhi-common';
import type { NhiConnector } from '@nhi-governance/plugin-nhi-node';
import {
  createTestDatabases,
  expectedDatabaseIds,
} from '../__testUtils__/databases';
import { applyDatabaseMigrations } from '../database/migrations';
import { DiscoveryService } from './DiscoveryService';
import { SourceRunner } from './SourceRunner';
import { SourceFormatRegistry } from './sourceFormats';
import { readDiscoverySources } from './sourceSettings';

jest.setTimeout(60_000);

const NOW = DateTime.fromISO('2026-11-29T12:00:00Z', {
  zone: 'utc',
}) as DateTime<true>;

const key = (account: string, user: string): DiscoveredCredential => ({
  provider: 'aws',
  // A "shared" user stands for a credential two scopes both list under one id.
  externalId:
    user === 'shared'
      ? 'shared-credential'
      : `arn:aws:iam::${account}:user/${user}#access_key_1`,
  kind: 'access-key',
  principal: `arn:aws:iam::${account}:user/${user}`,
  active: true,
  scope: account,
});

/** What each account answers on one run: its users, or the error its API gave. */
type Answers = Record<string, string[] | Error>;

/** A connector reading several accounts one by one, as the AWS connector does. */
function runnerFor(knex: Knex, answers: Answers) {
  const connector: NhiConnector = {
    id: 'multi-account',
    kind: 'credentials',
    provider: 'aws',
    reportsUsage: false,
    defaultSchedule: { frequency: { hours: 1 }, timeout: { minutes: 5 } },
    async *read({ scopes }) {
      for (const [account, answer] of Object.entries(answers)) {
        if (answer instanceof Error) {
          // A page of the account was read before it failed: left out too.
          yield key(account, 'half-read');
          scopes.failed(account, answer);
          continue;
        }
        for (const user of answer) yield key(account, user);
        scopes.read(account);
      }
    },
  };
  const formats = SourceFormatRegistry.withBuiltIns();
  formats.addConnector(connector);
  const [source] = readDiscoverySources(
    new ConfigReader({
      nhi: {
        discovery: {
          sources: [{ id: 'aws-org', connector: 'multi-account' }],
        },
      },
    }),
    formats,
  );
  return {
    source,
    runner: new SourceRunner(createStores(knex), { formats }),
  };
}

describe('a connector reading several accounts', () => {
  const databases = createTestDatabases();

  it('runs on every database the test command provides', () => {
    expect(databases.eachSupportedId().flat()).toEqual(expectedDatabaseIds);
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
    });

    const listed = async () =>
      (
        await new DiscoveryService(createStores(knex)).credentials('aws-org', {
          limit: 100,
        })
      ).items
        .map(c => `${c.scope} ${c.principal.split('/').pop()}`)
        .sort();

    const latestRun = async () =>
      (await new DiscoveryService(createStores(knex)).sourceHealth())[0]
        .runs[0];

    it('keeps the last good credentials of an account that fails while the others update', async () => {
      const first = runnerFor(knex, {
        '111111111111': ['ci', 'deploy'],
        '222222222222': ['batch'],
      });
      await first.runner.register([first.source]);
      expect(await first.runner.run(first.source, NOW)).toMatchObject({
        status: 'ok',
        credentials: 3,
      });
      const readAt = (await latestRun()).finishedAt;

      const second = runnerFor(knex, {
        '111111111111': ['ci'],
        '222222222222': new Error(
          'AccessDenied: User is not authorized to perform: sts:AssumeRole',
        ),
      });
      expect(
        await second.runner.run(second.source, NOW.plus({ hours: 1 })),
      ).toMatchObject({ status: 'ok', credentials: 2 });
      expect(await listed()).toEqual(['111111111111 ci', '222222222222 batch']);
      expect((await latestRun()).scopes).toEqual([
        { scope: '111111111111', status: 'ok', credentials: 1 },
        {
          scope: '222222222222',
          status: 'failed',
          error:
            'AccessDenied: User is not authorized to perform: sts:AssumeRole',
          credentials: 1,
          keptFrom: readAt,
        },
      ]);

      // Still failing an hour on: still kept, from the same read.
      await second.runner.run(second.source, NOW.plus({ hours: 2 }));
      expect(await listed()).toEqual(['111111111111 ci', '222222222222 batch']);
      expect((await latestRun()).scopes![1]).toMatchObject({
        status: 'failed',
        keptFrom: readAt,
      });

      // Back: read afresh.
      const third = runnerFor(knex, {
        '111111111111': ['ci'],
        '222222222222': ['batch', 'etl'],
      });
      await third.runner.run(third.source, NOW.plus({ hours: 3 }));
      expect(await listed()).toEqual([
        '111111111111 ci',
        '222222222222 batch',
        '222222222222 etl',
      ]);
    });

    it('keeps a credential once when a failed account kept it and another read it too', async () => {
      const first = runnerFor(knex, {
        '111111111111': ['ci'],
        '222222222222': ['shared'],
      });
      await first.runner.register([first.source]);
      await first.runner.run(first.source, NOW);
      const second = runnerFor(knex, {
        '111111111111': ['ci', 'shared'],
        '222222222222': new Error('AccessDenied: no role'),
      });
      expect(
        await second.runner.run(second.source, NOW.plus({ hours: 1 })),
      ).toMatchObject({ status: 'ok', credentials: 2 });
      expect(await listed()).toEqual([
        '111111111111 ci',
        '111111111111 shared',
      ]);
    });

    it('fails the run, keeping everything, when no account could be read', async () => {
      const first = runnerFor(knex, { '111111111111': ['ci'] });
      await first.runner.register([first.source]);
      await first.runner.run(first.source, NOW);
      const down = runnerFor(knex, {
        '111111111111': new Error('InvalidClientTokenId: revoked'),
        '222222222222': new Error('AccessDenied: no role'),
      });
      const failed = await down.runner.run(down.source, NOW.plus({ hours: 1 }));
      expect(failed).toMatchObject({
        status: 'failed',
        error:
          'aws-org: none of its 2 accounts, tenants or clusters could be read: 111111111111: InvalidClientTokenId: revoked; 222222222222: AccessDenied: no role',
      });
      expect(await listed()).toEqual(['111111111111 ci']);
      expect((await latestRun()).scopes).toEqual([
        {
          scope: '111111111111',
          status: 'failed',
          error: 'InvalidClientTokenId: revoked',
          credentials: 0,
        },
        {
          scope: '222222222222',
          status: 'failed',
          error: 'AccessDenied: no role',
          credentials: 0,
        },
      ]);
    });
  });
});
