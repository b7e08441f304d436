import { createStores } from '../../wiring/createStores';
import { ConfigReader } from '@backstage/config';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import type {
  NhiConnector,
  ObjectUsageObservation,
} from '@nhi-governance/plugin-nhi-node';
import {
  createTestDatabases,
  expectedDatabaseIds,
} from '../../__testUtils__/databases';
import { applyDatabaseMigrations } from '../../database/migrations';
import { IdentityRegistry } from '../../identities/IdentityRegistry';
import { SourceRunner } from '../SourceRunner';
import { SourceFormatRegistry } from '../sourceFormats';
import { readDiscoverySources } from '../sourceSettings';

jest.setTimeout(60_000);

const NOW = DateTime.fromISO('2026-12-05T12:00:00Z', {
  zone: 'utc',
}) as DateTime<true>;
const KEY = 'AKIAIOSFODNN7EXAMPLE';
const REF = 'machineidentity:default/ci-deployer';
const PREFIX = 'AWSLogs/123456789012/CloudTrail/eu-west-1/2026/12/05/';

/** An object of the tree: `records` calls by the key, at 10:00 from one host. */
const objectKey = (n: number) =>
  `${PREFIX}123456789012_CloudTrail_eu-west-1_20261205T10${String(n).padStart(
    2,
    '0',
  )}Z_x.json.gz`;

function recordsOf(n: number, records: number): ObjectUsageObservation[] {
  return Array.from({ length: records }, (_, i) => ({
    eventId: `o${n}-${i}`,
    provider: 'aws',
    externalId: KEY,
    occurredAt: `2026-12-05T10:${String(n).padStart(2, '0')}:${String(
      i % 60,
    ).padStart(2, '0')}.000Z`,
    sourceAddress: '10.0.0.1',
    userAgent: 'aws-sdk-go/1.50',
    failed: false,
    object: objectKey(n),
  }));
}

/**
 * A connector reading a tree of log objects as the CloudTrail-in-S3 one does: it lists after
 * the last complete object and fetches only the incomplete ones; `throwAfter` breaks the read
 * after that many records of the listed objects.
 */
function treeRunner(
  knex: Knex,
  tree: Record<number, number>,
  seen: { listedAfter?: string; fetched: string[] },
  throwAfter?: number,
) {
  const connector: NhiConnector = {
    id: 'log-tree',
    kind: 'usage',
    defaultSchedule: { frequency: { minutes: 15 }, timeout: { minutes: 5 } },
    async *read({ logObjects }) {
      seen.listedAfter = await logObjects.lastComplete(PREFIX);
      let yielded = 0;
      for (const [n, records] of Object.entries(tree)) {
        const key = objectKey(Number(n));
        if (seen.listedAfter && key <= seen.listedAfter) continue;
        if (await logObjects.isComplete(key)) continue;
        seen.fetched.push(key);
        for (const r of recordsOf(Number(n), records)) {
          if (throwAfter !== undefined && yielded++ === throwAfter) {
            throw new Error('the connection was reset');
          }
          yield r;
        }
        logObjects.done(key);
      }
    },
  };
  const formats = SourceFormatRegistry.withBuiltIns();
  formats.addConnector(connector);
  const [source] = readDiscoverySources(
    new ConfigReader({
      nhi: { discovery: { sources: [{ id: 'trail', connector: 'log-tree' }] } },
    }),
    formats,
  );
  const runner = new SourceRunner(createStores(knex), { formats });
  return () => runner.run(source, NOW);
}

describe('a usage connector reading a tree of log objects', () => {
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
          {
            ref: REF,
            type: 'api-key',
            owner: 'group:default/payments',
            usedBy: [],
            provider: 'aws-iam',
            externalId: KEY,
            scopes: [],
            credential: { createdAt: '2026-01-01' },
          },
        ],
        '2026-01-01T00:00:00.000Z',
      );
    });

    const uses = async () =>
      Number(
        (await knex('nhi_usage_daily').where('identity_ref', REF))[0]?.uses ??
          0,
      );

    it('counts each object once, and lists after the last one counted in full', async () => {
      const seen = { fetched: [] as string[] } as {
        listedAfter?: string;
        fetched: string[];
      };
      const first = await treeRunner(knex, { 1: 40, 2: 30 }, seen)();
      expect(first).toMatchObject({
        status: 'ok',
        summary: { counted: 70, aggregates: 1 },
      });
      expect(seen.listedAfter).toBeUndefined();

      const again = { fetched: [] as string[] };
      const second = await treeRunner(knex, { 1: 40, 2: 30, 3: 25 }, again)();
      expect(second).toMatchObject({ status: 'ok', summary: { counted: 25 } });
      expect((again as any).listedAfter).toBe(objectKey(2));
      expect(again.fetched).toEqual([objectKey(3)]);
      expect(await uses()).toBe(95);
    });

    it('after a read that broke off, counts what it had not saved, never twice', async () => {
      const broken = await treeRunner(
        knex,
        { 1: 40, 2: 30 },
        { fetched: [] },
        55,
      )();
      expect(broken).toMatchObject({ status: 'failed' });
      const before = await uses();
      const retried = await treeRunner(
        knex,
        { 1: 40, 2: 30 },
        {
          fetched: [],
        },
      )();
      expect(retried).toMatchObject({ status: 'ok' });
      expect(before + (retried as any).summary.counted).toBe(70);
      expect(await uses()).toBe(70);
    });
  });
});
