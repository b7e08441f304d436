import { createStores } from '../../wiring/createStores';
import { promises as fs } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { Knex } from 'knex';
import { DateTime, Duration } from 'luxon';
import {
  createTestDatabases,
  expectedDatabaseIds,
} from '../../__testUtils__/databases';
import { applyDatabaseMigrations } from '../../database/migrations';
import type { IdentityRecord } from '../../engine/types';
import { IdentityRegistry } from '../../identities/IdentityRegistry';
import { SourceRunner } from '../SourceRunner';
import { cutText } from './cutText';

jest.setTimeout(60_000);

// The CloudTrail sample of the discovery tests: three calls by ci-deployer on 7 May 2026.
const SAMPLE = join(__dirname, '..', '__fixtures__', 'aws-cloudtrail.json');
const CI_DEPLOYER = 'arn:aws:iam::123456789012:user/ci-deployer';
const REF = 'machineidentity:default/ci-deployer';
const NOW = DateTime.fromISO('2026-05-08T00:00:00Z', {
  zone: 'utc',
}) as DateTime<true>;

const ciDeployer: IdentityRecord = {
  ref: REF,
  type: 'service-account',
  owner: 'group:default/payments',
  usedBy: ['component:default/payments-api'],
  environment: 'production',
  provider: 'aws-iam',
  externalId: CI_DEPLOYER,
  scopes: ['s3:GetObject'],
  privilege: 'read',
  credential: { createdAt: '2026-01-01', lastRotatedAt: '2026-02-01' },
  approval: { approvedBy: 'user:default/sam', approvedAt: '2026-01-01' },
};

describe('usage logs with one odd cell', () => {
  const databases = createTestDatabases();
  let dir: string;

  beforeAll(async () => {
    dir = await fs.mkdtemp(join(tmpdir(), 'nhi-usage-'));
  });

  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('runs on every database the test command provides', () => {
    expect(databases.eachSupportedId().flat()).toEqual(expectedDatabaseIds);
  });

  it('cuts a text between code points, within the limit in UTF-16 units', () => {
    const text = `${'a'.repeat(511)}😀b`;
    expect(cutText(text, 512)).toBe('a'.repeat(511));
    expect(cutText(text, 513)).toBe(`${'a'.repeat(511)}😀`);
    expect(cutText('short', 512)).toBe('short');
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      await new IdentityRegistry(createStores(knex)).applySnapshot(
        'catalog',
        [ciDeployer],
        '2026-01-01T00:00:00.000Z',
      );
    });

    /** The sample with the first ci-deployer record's user agent replaced, read once. */
    async function runWithUserAgent(userAgent: string) {
      const log = JSON.parse(await fs.readFile(SAMPLE, 'utf8'));
      const first = log.Records.find(
        (r: any) => r.userIdentity?.arn === CI_DEPLOYER,
      );
      first.userAgent = userAgent;
      const path = join(dir, `${databaseId}-cloudtrail.json`);
      await fs.writeFile(path, JSON.stringify(log));
      const result = await new SourceRunner(createStores(knex)).run(
        {
          id: 'cloudtrail',
          format: 'aws-cloudtrail',
          location: { path },
          frequency: Duration.fromISO('PT1H'),
        },
        NOW,
      );
      const [day] = await knex('nhi_usage_daily').where('identity_ref', REF);
      return { result, uses: Number(day?.uses ?? 0) };
    }

    it.each([
      ['a tab', 'aws-cli/2.15.40\tmd/awscrt#0.19.19'],
      ['a line break', 'aws-cli/2.15.40\nmd/awscrt#0.19.19'],
    ])(
      'drops a user agent holding %s with a warning, and counts every record',
      async (_what, userAgent) => {
        const { result, uses } = await runWithUserAgent(userAgent);
        expect(result).toMatchObject({ status: 'ok' });
        expect(JSON.stringify(result.warnings.kept)).toMatch(/userAgent/);
        expect(uses).toBe(3);
      },
    );

    /** The sample's ci-deployer records, `copies` times over with fresh ids, as one file. */
    async function writeLog(name: string, copies: number, hour = 10) {
      const log = JSON.parse(await fs.readFile(SAMPLE, 'utf8'));
      const mine = log.Records.filter(
        (r: any) => r.userIdentity?.arn === CI_DEPLOYER,
      );
      const records = Array.from({ length: copies }, (_, n) =>
        mine.map((r: any, i: number) => ({
          ...r,
          eventID: `copy-${n}-${i}`,
          eventTime: r.eventTime.replace(
            /T\d\d/,
            `T${String(hour).padStart(2, '0')}`,
          ),
        })),
      ).flat();
      const path = join(dir, `${databaseId}-${name}.json`);
      await fs.writeFile(path, JSON.stringify({ Records: records }));
      return { path, records: records.length };
    }

    const read = (path: string) =>
      new SourceRunner(createStores(knex)).run(
        {
          id: 'cloudtrail',
          format: 'aws-cloudtrail',
          location: { path },
          frequency: Duration.fromISO('PT1H'),
        },
        NOW,
      );

    const usesOfDay = async () =>
      Number(
        (await knex('nhi_usage_daily').where('identity_ref', REF))[0]?.uses ??
          0,
      );

    it('writes sums, not records, and counts a grown file only from where it stopped', async () => {
      const { path, records } = await writeLog('grows', 100);
      const first = await read(path);
      expect(first).toMatchObject({
        status: 'ok',
        summary: { observations: records, counted: records },
      });
      // 300 records of one key, one day, one address and agent: a row per address and agent.
      expect((first as any).summary.aggregates).toBeLessThan(10);
      expect(await usesOfDay()).toBe(records);

      // The file grows (the same first records, then more): only the new ones count.
      const grown = await writeLog('grows', 150);
      const second = await read(grown.path);
      expect(second).toMatchObject({
        status: 'ok',
        summary: {
          alreadyCounted: records,
          counted: grown.records - records,
        },
      });
      expect(await usesOfDay()).toBe(grown.records);
      // The ledger has one entry per write, naming the records of the file it counted.
      const entries = await knex('nhi_ledger').where('kind', 'usage.ingested');
      expect(
        entries.map(e =>
          JSON.parse(e.payload).objects.map((o: any) => o.records),
        ),
      ).toEqual([[[1, records]], [[records + 1, grown.records]]]);
    });

    it('counts a replaced file from its start', async () => {
      const { path, records } = await writeLog('replaced', 10, 10);
      await read(path);
      await writeLog('replaced', 10, 11);
      const again = await read(path);
      expect(again).toMatchObject({
        summary: { alreadyCounted: 0, counted: records },
      });
      expect(await usesOfDay()).toBe(2 * records);
    });

    it('keeps a long user agent cut before an emoji it would split, and counts every record', async () => {
      const { result, uses } = await runWithUserAgent(
        `${'a'.repeat(511)}😀 and more`,
      );
      expect(result).toMatchObject({ status: 'ok' });
      expect(uses).toBe(3);
      const sources = (
        await knex('nhi_usage_daily').where('identity_ref', REF)
      ).map(r => r.sources);
      expect(sources.join()).toContain('a'.repeat(511));
    });
  });
});
