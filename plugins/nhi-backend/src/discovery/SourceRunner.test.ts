import { promises as fs } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Readable } from 'stream';
import type { Knex } from 'knex';
import { Duration } from 'luxon';
import {
  createTestDatabases,
  expectedDatabaseIds,
} from '../__testUtils__/databases';
import {
  readCurrentCredentials,
  readRuns,
  readSources,
} from '../database/discoveryTables';
import { applyDatabaseMigrations } from '../database/migrations';
import { SourceRunner } from './SourceRunner';
import type { DiscoverySource } from './sourceSettings';

jest.setTimeout(60_000);

const FIXTURES = join(__dirname, '__fixtures__');
const REPORT = join(FIXTURES, 'aws-credential-report.csv');

const awsSource = (path: string): DiscoverySource => ({
  id: 'aws-prod',
  format: 'aws-credential-report',
  location: { path },
  frequency: Duration.fromISO('PT1H'),
});

describe('SourceRunner', () => {
  const databases = createTestDatabases();
  let dir: string;

  beforeAll(async () => {
    dir = await fs.mkdtemp(join(tmpdir(), 'nhi-discovery-'));
  });

  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('runs on every database the test command provides', () => {
    expect(databases.eachSupportedId().flat()).toEqual(expectedDatabaseIds);
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;
    let runner: SourceRunner;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      runner = new SourceRunner(knex);
    });

    const current = async () =>
      (await readCurrentCredentials(knex, 'aws-prod')).map(c => c.external_id);

    it('reads a source into its state, and shows its health before and after', async () => {
      const source = awsSource(REPORT);
      await runner.register([source]);
      expect(await readSources(knex)).toMatchObject([
        { id: 'aws-prod', last_status: null, good_run_id: null },
      ]);

      const result = await runner.run(source);
      expect(result).toMatchObject({ status: 'ok' });
      const ids = await current();
      expect(ids.length).toBeGreaterThan(3);
      expect(ids).toContain(
        'arn:aws:iam::123456789012:user/ci-deployer#access_key_1',
      );
      const [root] = await readCurrentCredentials(knex, 'aws-prod').then(rows =>
        rows.filter(r => r.principal.endsWith(':root')),
      );
      expect(JSON.parse(root.details).findings).toEqual([
        expect.objectContaining({ code: 'root-access-key' }),
      ]);
      expect(await readSources(knex)).toMatchObject([
        { id: 'aws-prod', last_status: 'ok', last_error: null },
      ]);
    });

    it('keeps the last good state when a file is truncated, and records why', async () => {
      const before = await current();
      const text = await fs.readFile(REPORT, 'utf8');
      const lines = text.trimEnd().split('\n');
      // The last row cut in the middle, as an interrupted download leaves it.
      const truncated = join(dir, 'truncated.csv');
      await fs.writeFile(
        truncated,
        [...lines.slice(0, -1), lines[lines.length - 1].slice(0, 40)].join(
          '\n',
        ),
      );
      const result = await runner.run(awsSource(truncated));
      expect(result).toMatchObject({
        status: 'failed',
        error: expect.stringMatching(
          // Rows are counted as lines, the header being row 1.
          new RegExp(`^aws-prod: aws-credential-report row ${lines.length}: `),
        ),
      });
      expect(await current()).toEqual(before);
      const [source] = await readSources(knex);
      expect(source).toMatchObject({
        last_status: 'failed',
        last_error: (result as { error: string }).error,
      });
      expect(source.last_success_at).not.toBeNull();
      const [failed, ok] = await readRuns(knex, 'aws-prod', 2);
      // What was read before the break is counted, and thrown away.
      expect(failed.status).toBe('failed');
      expect(failed.rows_read).toBeGreaterThan(0);
      expect(ok).toMatchObject({ status: 'ok' });
    });

    it.each([
      [
        'a wrong header',
        'name,arn\nx,y\n',
        /aws-credential-report (row 1|header)/,
      ],
      ['a missing file', undefined, /ENOENT/],
    ])('keeps the last good state for %s', async (_, content, message) => {
      const before = await current();
      const path = join(dir, `bad-${Math.random()}.csv`);
      if (content !== undefined) await fs.writeFile(path, content);
      const result = await runner.run(awsSource(path));
      expect(result).toMatchObject({
        status: 'failed',
        error: expect.stringMatching(message),
      });
      expect(await current()).toEqual(before);
    });

    it('replaces the state with the next good file, credentials gone from it included', async () => {
      const text = await fs.readFile(REPORT, 'utf8');
      const lines = text.trimEnd().split('\n');
      const kept = lines.filter(l => !l.startsWith('legacy-batch,'));
      expect(kept.length).toBe(lines.length - 1);
      const smaller = join(dir, 'smaller.csv');
      await fs.writeFile(smaller, `${kept.join('\n')}\n`);
      expect(await runner.run(awsSource(smaller))).toMatchObject({
        status: 'ok',
      });
      const ids = await current();
      expect(ids.some(id => id.includes('legacy-batch'))).toBe(false);
      // Nothing of older runs is left behind.
      const [{ n }] = await knex('nhi_discovered_credentials').count({
        n: '*',
      });
      expect(Number(n)).toBe(ids.length);
    });

    it('reads a URL through the URL reader', async () => {
      // The URL reader is Backstage's (mocked here: no network); the body streams as it would.
      const body = await fs.readFile(REPORT);
      const urlRunner = new SourceRunner(knex, {
        urlReader: {
          readUrl: async () =>
            ({
              buffer: async () => body,
              stream: () => Readable.from([body]),
            } as any),
        },
      });
      const result = await urlRunner.run({
        ...awsSource(REPORT),
        location: { url: 'https://reports.example.com/credential-report.csv' },
      });
      expect(result).toMatchObject({ status: 'ok' });
    });

    it('refuses a second read of a source already being read, and reads it again after', async () => {
      // A URL that answers only when let go, so that the first read is still going.
      let answer: () => void = () => {};
      const answered = new Promise<void>(resolve => {
        answer = resolve;
      });
      const body = await fs.readFile(REPORT);
      const slowRunner = new SourceRunner(knex, {
        urlReader: {
          readUrl: async () => {
            await answered;
            return { buffer: async () => body } as any;
          },
        },
      });
      const source = {
        ...awsSource(REPORT),
        location: { url: 'https://reports.example.com/credential-report.csv' },
      };
      const first = slowRunner.run(source);
      await expect(slowRunner.run(source)).rejects.toThrow(
        'Discovery source aws-prod is being read now',
      );
      answer();
      expect(await first).toMatchObject({ status: 'ok' });
      expect(await slowRunner.run(source)).toMatchObject({ status: 'ok' });
    });
  });
});
