import { createStores } from '../wiring/createStores';
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

import { applyDatabaseMigrations } from '../database/migrations';
import { DiscoveryService } from './DiscoveryService';
import { SourceRunner } from './SourceRunner';
import type { DiscoverySource } from './sourceSettings';
import type { DiscoveredCredential } from '@nhi-governance/plugin-nhi-common';

jest.setTimeout(60_000);

const FIXTURES = join(__dirname, '__fixtures__');
const REPORT = join(FIXTURES, 'aws-credential-report.csv');

// The token secretlint's own GitHub rule tests with: the shape of a classic personal token.
const TOKEN = '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';

/** The sample report with cells of one user's row replaced, and that row's number. */
async function reportWith(
  user: string,
  cells: Record<string, string>,
): Promise<{ text: string; row: number }> {
  const lines = (await fs.readFile(REPORT, 'utf8')).trimEnd().split('\n');
  const header = lines[0].split(',');
  const index = lines.findIndex(l => l.startsWith(`${user},`));
  const record = lines[index].split(',');
  for (const [column, value] of Object.entries(cells)) {
    record[header.indexOf(column)] = value;
  }
  lines[index] = record.join(',');
  return { text: `${lines.join('\n')}\n`, row: index + 1 };
}

/** Every row of every table of the plugin, as text, to search for a value nothing may keep. */
async function everyTable(knex: Knex): Promise<string> {
  const names: string[] =
    knex.client.config.client === 'better-sqlite3' ||
    String(knex.client.config.client).includes('sqlite')
      ? (
          await knex('sqlite_master').where({ type: 'table' }).select('name')
        ).map(t => t.name)
      : (
          await knex('information_schema.tables')
            .whereRaw('table_schema = current_schema()')
            .select('table_name as name')
        ).map(t => t.name);
  const tables = names.filter(n => n.startsWith('nhi_'));
  expect(tables).toContain('nhi_discovered_credentials');
  const rows = await Promise.all(tables.map(t => knex(t).select()));
  return JSON.stringify(rows);
}

/** A logger that keeps each line it is given. */
const keptLogger = (lines: string[]) => {
  const logger: any = {
    info: (m: string) => lines.push(m),
    warn: (m: string) => lines.push(m),
    error: (m: string) => lines.push(m),
    debug: (m: string) => lines.push(m),
    child: () => logger,
  };
  return logger;
};

const GCP_KEYS = join(FIXTURES, 'gcp-service-account-keys.json');

/** A secret, or any 8 characters of it, is in no table, no log line and no response. */
function expectNowhere(
  secret: string,
  stored: string,
  lines: string[],
  response: unknown,
) {
  const logged = lines.join('\n');
  const returned = JSON.stringify(response);
  for (let i = 0; i + 8 <= secret.length; i++) {
    const part = secret.slice(i, i + 8);
    expect({ part, stored: stored.includes(part) }).toEqual({
      part,
      stored: false,
    });
    expect({ part, logged: logged.includes(part) }).toEqual({
      part,
      logged: false,
    });
    expect({ part, returned: returned.includes(part) }).toEqual({
      part,
      returned: false,
    });
  }
}

const gcpSource = (path: string): DiscoverySource => ({
  id: 'gcp-prod',
  format: 'gcp-service-account-keys',
  location: { path },
  frequency: Duration.fromISO('PT1H'),
});

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
      runner = new SourceRunner(createStores(knex));
    });

    const current = async () =>
      (
        await createStores(knex).discovery.readCurrentCredentials('aws-prod')
      ).map(c => c.external_id);

    it('reads a source into its state, and shows its health before and after', async () => {
      const source = awsSource(REPORT);
      await runner.register([source]);
      expect(await createStores(knex).discovery.readSources()).toMatchObject([
        { id: 'aws-prod', last_status: null, good_run_id: null },
      ]);

      const result = await runner.run(source);
      expect(result).toMatchObject({ status: 'ok' });
      const ids = await current();
      expect(ids.length).toBeGreaterThan(3);
      expect(ids).toContain(
        'arn:aws:iam::123456789012:user/ci-deployer#access_key_1',
      );
      const [root] = await createStores(knex)
        .discovery.readCurrentCredentials('aws-prod')
        .then(rows => rows.filter(r => r.principal.endsWith(':root')));
      expect(JSON.parse(root.details).findings).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ code: 'root-access-key' }),
        ]),
      );
      expect(await createStores(knex).discovery.readSources()).toMatchObject([
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
      const [source] = await createStores(knex).discovery.readSources();
      expect(source).toMatchObject({
        last_status: 'failed',
        last_error: (result as { error: string }).error,
      });
      expect(source.last_success_at).not.toBeNull();
      const [failed, ok] = await createStores(knex).discovery.readRuns(
        'aws-prod',
        2,
      );
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

    it('reads a file with one odd cell, warning of where it is and its field, and shows the count in health', async () => {
      const keys = JSON.parse(await fs.readFile(GCP_KEYS, 'utf8'));
      keys[1].validAfterTime = 'last tuesday';
      const odd = join(dir, 'odd-cell.json');
      await fs.writeFile(odd, JSON.stringify(keys, null, 2));
      const lines: string[] = [];
      const source = gcpSource(odd);
      const logged = new SourceRunner(createStores(knex), {
        logger: keptLogger(lines),
      });
      await logged.register([source]);
      const result = await logged.run(source);

      expect(result).toMatchObject({ status: 'ok', rows: keys.length });
      const warning = {
        location: '$[1]',
        field: 'validAfterTime',
        reason: expect.stringContaining('read as unknown'),
      };
      expect(result.warnings).toEqual({ count: 1, kept: [warning] });
      // The key is kept, its creation time unknown.
      const listed = await createStores(knex).discovery.readCurrentCredentials(
        source.id,
      );
      expect(listed).toHaveLength(keys.length);
      const [unknown] = listed.filter(c => c.external_id === keys[1].name);
      expect(JSON.parse(unknown.details).createdAt).toBeUndefined();

      const health = (
        await new DiscoveryService(createStores(knex)).sourceHealth()
      ).find(h => h.id === source.id);
      expect(health).toMatchObject({ lastStatus: 'ok' });
      expect(health!.runs[0]).toMatchObject({
        status: 'ok',
        warningCount: 1,
        warnings: [warning],
      });
      // One line for the run, naming the warning by where and field.
      expect(lines).toEqual([
        expect.stringMatching(
          /^Discovery source gcp-prod read \d+ rows; 1 warning: \$\[1\] validAfterTime: /,
        ),
      ]);
    });

    it('reads a credential report with one odd cell, warning of its row and column, keeping the key', async () => {
      const { text, row } = await reportWith('ci-deployer', {
        access_key_1_last_used_date: 'yesterday',
      });
      const odd = join(dir, 'odd-report.csv');
      await fs.writeFile(odd, text);
      const result = await runner.run(awsSource(odd));

      expect(result).toMatchObject({ status: 'ok' });
      expect(result.warnings).toEqual({
        count: 1,
        kept: [
          {
            location: `row ${row}`,
            field: 'access_key_1_last_used_date',
            reason: expect.any(String),
          },
        ],
      });
      const [key1] = (
        await createStores(knex).discovery.readCurrentCredentials('aws-prod')
      ).filter(c => c.external_id.endsWith('user/ci-deployer#access_key_1'));
      expect(JSON.parse(key1.details).lastUsedAt).toBeUndefined();
      const [health] = (
        await new DiscoveryService(createStores(knex)).sourceHealth()
      ).filter(h => h.id === 'aws-prod');
      expect(health.runs[0]).toMatchObject({ status: 'ok', warningCount: 1 });
    });

    it('drops a credential field holding a secret or a control character, with a warning, keeping the value in no table and no log', async () => {
      const { text, row } = await reportWith('ci-deployer', {
        access_key_2_last_used_service: TOKEN,
        user: 'ci\u0007deployer',
        // A parser describes a cell it cannot read, never quoting a value of this shape.
        access_key_1_last_used_date: TOKEN,
      });
      const hostile = join(dir, 'hostile.csv');
      await fs.writeFile(hostile, text);
      const lines: string[] = [];
      const result = await new SourceRunner(createStores(knex), {
        logger: keptLogger(lines),
      }).run(awsSource(hostile));

      expect(result).toMatchObject({ status: 'ok' });
      const ci = 'arn:aws:iam::123456789012:user/ci-deployer';
      expect(result.warnings.kept).toEqual(
        expect.arrayContaining([
          {
            location: expect.stringMatching(
              new RegExp(`^record \\d+ \\(${ci}#access_key_1\\)$`),
            ),
            field: 'displayName',
            reason: 'contains a control character (U+0007): read as unknown',
          },
          {
            location: expect.stringMatching(
              new RegExp(`^record \\d+ \\(${ci}#access_key_2\\)$`),
            ),
            field: 'lastUsedService',
            reason: expect.stringMatching(
              /^looks like a GitHub .*: read as unknown$/,
            ),
          },
        ]),
      );
      expect(result.warnings.kept).toContainEqual({
        location: `row ${row}`,
        field: 'access_key_1_last_used_date',
        reason:
          'a value of 40 characters is not a date, N/A, no_information or not_supported: read as unknown',
      });
      // The row is the one read: both of ci-deployer's keys are kept, without what was refused.
      const keys = (
        await createStores(knex).discovery.readCurrentCredentials('aws-prod')
      ).filter(c => c.principal.endsWith('user/ci-deployer'));
      expect(keys).toHaveLength(2);
      for (const k of keys) {
        expect(JSON.parse(k.details).displayName).toBeUndefined();
      }
      expect(row).toBeGreaterThan(1);

      const stored = await everyTable(knex);
      const logged = lines.join('\n');
      for (const refused of [TOKEN, TOKEN.slice(0, 12), '\u0007']) {
        expect(stored).not.toContain(refused);
        expect(logged).not.toContain(refused);
      }
      // The run and its warnings are stored; only the refused values are not.
      expect(stored).toContain('lastUsedService');
    });

    // Secrets the secret scan does not recognise on their own: nothing but their shape is known.
    const UNRECOGNISED = {
      'a bare AWS secret access key':
        'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'a password': 'Sup3rS3cretPassw0rd!2024',
    };

    it.each(Object.entries(UNRECOGNISED))(
      'keeps %s pasted into a date or a true/false cell in no warning, table or log line',
      async (_, secret) => {
        const { text, row } = await reportWith('ci-deployer', {
          access_key_1_last_used_date: secret,
          access_key_2_active: secret,
        });
        const csv = join(dir, `pasted-${Math.random()}.csv`);
        await fs.writeFile(csv, text);
        const lines: string[] = [];
        const result = await new SourceRunner(createStores(knex), {
          logger: keptLogger(lines),
        }).run(awsSource(csv));

        expect(result).toMatchObject({ status: 'ok' });
        expect(result.warnings.kept).toEqual([
          {
            location: `row ${row}`,
            field: 'access_key_1_last_used_date',
            reason: `a value of ${secret.length} characters is not a date, N/A, no_information or not_supported: read as unknown`,
          },
          {
            location: `row ${row}`,
            field: 'access_key_2_active',
            reason: `a value of ${secret.length} characters is not true or false: read as unknown`,
          },
        ]);
        expectNowhere(secret, await everyTable(knex), lines, result);
      },
    );

    it.each(Object.entries(UNRECOGNISED))(
      'keeps %s pasted into a JSON date or one-of cell in no warning, table or log line',
      async (_, secret) => {
        const keys = JSON.parse(await fs.readFile(GCP_KEYS, 'utf8'));
        keys[0].validAfterTime = secret;
        keys[0].keyType = secret;
        const path = join(dir, `pasted-${Math.random()}.json`);
        await fs.writeFile(path, JSON.stringify(keys));
        const lines: string[] = [];
        const logged = new SourceRunner(createStores(knex), {
          logger: keptLogger(lines),
        });
        await logged.register([gcpSource(path)]);
        const result = await logged.run(gcpSource(path));

        expect(result).toMatchObject({ status: 'ok' });
        expect(result.warnings.kept.map(w => [w.field, w.reason])).toEqual([
          [
            'validAfterTime',
            `a value of ${secret.length} characters is not an ISO 8601 timestamp: read as unknown`,
          ],
          [
            'keyType',
            `a value of ${secret.length} characters is not one of USER_MANAGED, SYSTEM_MANAGED: read as unknown`,
          ],
        ]);
        expectNowhere(secret, await everyTable(knex), lines, result);
      },
    );

    it.each(Object.entries(UNRECOGNISED))(
      'keeps %s in no error when it fails a run, in a cell or a header, a table or a log line',
      async (_, secret) => {
        const list = JSON.parse(
          await fs.readFile(
            join(FIXTURES, 'kubernetes-serviceaccounts-secrets.json'),
            'utf8',
          ),
        );
        // A kind is required: a read with an unknown one fails.
        list.items[0].kind = secret;
        const k8s = join(dir, `pasted-${Math.random()}.json`);
        await fs.writeFile(k8s, JSON.stringify(list));
        const header = join(dir, `pasted-${Math.random()}.csv`);
        await fs.writeFile(header, `user,arn,${secret}\nx,y,z\n`);
        const jsonLine = join(dir, `pasted-${Math.random()}.jsonl`);
        await fs.writeFile(jsonLine, `{"SourceName": ${secret}}\n`);
        const lines: string[] = [];
        const logged = new SourceRunner(createStores(knex), {
          logger: keptLogger(lines),
        });
        const sources: DiscoverySource[] = [
          {
            ...awsSource(k8s),
            id: 'k8s-prod',
            format: 'kubernetes-service-accounts',
          },
          awsSource(header),
          { ...awsSource(jsonLine), id: 'leaks-prod', format: 'trufflehog' },
        ];
        await logged.register(sources.filter(s => s.id !== 'aws-prod'));
        const results = [];
        for (const source of sources) results.push(await logged.run(source));

        expect(results.map(r => r.status)).toEqual([
          'failed',
          'failed',
          'failed',
        ]);
        expect((results[0] as { error: string }).error).toContain(
          `a value of ${secret.length} characters is not one of ServiceAccount, Secret`,
        );
        expect((results[1] as { error: string }).error).toContain(
          `unknown column a value of ${secret.length} characters`,
        );
        expect((results[2] as { error: string }).error).toBe(
          `leaks-prod: trufflehog line 1: is not valid JSON (Unexpected token '${secret[0]}')`,
        );
        expectNowhere(secret, await everyTable(knex), lines, results);
      },
    );

    it('keeps the warnings of the latest runs and only the count of older ones', async () => {
      const { text } = await reportWith('ci-deployer', {
        user: 'ci\u0007deployer',
      });
      const odd = join(dir, 'odd-again.csv');
      await fs.writeFile(odd, text);
      for (let i = 0; i < 6; i++) await runner.run(awsSource(odd));
      const runs = await createStores(knex).discovery.readRuns('aws-prod', 100);
      expect(runs.slice(0, 5).map(r => r.warnings)).toEqual(
        Array(5).fill(expect.stringContaining('displayName')),
      );
      for (const older of runs.slice(5)) {
        expect(older.warnings).toBeNull();
      }
      expect(runs.slice(5).some(r => Number(r.warning_count) > 0)).toBe(true);
    });

    it('reads a URL through the URL reader', async () => {
      // The URL reader is Backstage's (mocked here: no network); the body streams as it would.
      const body = await fs.readFile(REPORT);
      const urlRunner = new SourceRunner(createStores(knex), {
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

    it('refuses a second read of a source already being read, here or on another replica, and reads it again after', async () => {
      // A URL that answers only when let go, so that the first read is still going.
      let answer: () => void = () => {};
      const answered = new Promise<void>(resolve => {
        answer = resolve;
      });
      const body = await fs.readFile(REPORT);
      const slowReader = {
        readUrl: async () => {
          await answered;
          return { buffer: async () => body } as any;
        },
      };
      const slowRunner = new SourceRunner(createStores(knex), {
        urlReader: slowReader,
      });
      // Another backend on the same database.
      const replica = new SourceRunner(createStores(knex), {
        urlReader: slowReader,
      });
      const source = {
        ...awsSource(REPORT),
        location: { url: 'https://reports.example.com/credential-report.csv' },
      };
      const before = await current();
      const first = slowRunner.run(source);
      await new Promise(resolve => setTimeout(resolve, 50));
      await expect(slowRunner.run(source)).rejects.toThrow(
        /^A read of discovery source aws-prod is already running, since /,
      );
      await expect(replica.run(source)).rejects.toMatchObject({
        name: 'ConflictError',
      });
      answer();
      expect(await first).toMatchObject({ status: 'ok' });
      expect((await current()).sort()).toEqual(before.sort());
      expect(await replica.run(source)).toMatchObject({ status: 'ok' });
    });

    it('keeps a later read that finished first when an earlier one finishes after it', async () => {
      // As if a lapsed lease let two reads overlap: the earlier read must not replace the
      // later one's state with rows the later one cleared.
      const stores = createStores(knex);
      await stores.discovery.upsertSources([
        { id: 'overlap', format: 'aws-credential-report', location: 'x.csv' },
      ]);
      const credential = (externalId: string): DiscoveredCredential => ({
        provider: 'aws',
        externalId,
        kind: 'access-key',
        principal: 'arn:aws:iam::1:user/x',
        active: true,
      });
      const early = await stores.discovery.startRun(
        'overlap',
        '2026-12-01T00:00:00.000Z',
      );
      await stores.discovery.insertCredentials(early, 'overlap', [
        credential('a'),
        credential('b'),
      ]);
      const late = await stores.discovery.startRun(
        'overlap',
        '2026-12-01T00:00:01.000Z',
      );
      await stores.discovery.insertCredentials(late, 'overlap', [
        credential('a'),
        credential('b'),
        credential('c'),
      ]);
      const done = {
        rows: 3,
        at: '2026-12-01T00:01:00.000Z',
        warnings: { count: 0, kept: [] },
      };
      expect(
        await stores.discovery.completeRun({
          id: late,
          sourceId: 'overlap',
          ...done,
        }),
      ).toBe(3);
      await expect(
        stores.discovery.completeRun({
          id: early,
          sourceId: 'overlap',
          ...done,
        }),
      ).rejects.toThrow(
        `the later read ${late} of this source finished first and is kept`,
      );
      const kept = await stores.discovery.readCurrentCredentials('overlap');
      expect(kept.map(c => c.external_id).sort()).toEqual(['a', 'b', 'c']);
    });
  });
});
