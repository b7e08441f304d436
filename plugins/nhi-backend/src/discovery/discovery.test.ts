import { createStores } from '../wiring/createStores';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { Knex } from 'knex';
import { Duration } from 'luxon';
import {
  createTestDatabases,
  expectedDatabaseIds,
} from '../__testUtils__/databases';
import {
  ReviewBackend,
  identityEntity,
  startReviewBackend,
} from '../__testUtils__/reviewBackend';
import { SourceRunner } from './SourceRunner';

jest.setTimeout(120_000);

const SAM = 'user:default/sam';
const DANA = 'user:default/dana';
const REPORT = join(__dirname, '__fixtures__', 'aws-credential-report.csv');
const CI_DEPLOYER = 'arn:aws:iam::123456789012:user/ci-deployer';
const MISSING = join(__dirname, '__fixtures__', 'no-such-export.json');

/** The GCP keys sample with one unreadable time, in the second key. */
function gcpKeysWithOddCell(): string {
  const keys = JSON.parse(
    readFileSync(
      join(__dirname, '__fixtures__', 'gcp-service-account-keys.json'),
      'utf8',
    ),
  );
  keys[1].validAfterTime = 'last tuesday';
  const path = join(mkdtempSync(join(tmpdir(), 'nhi-')), 'gcp-keys.json');
  writeFileSync(path, JSON.stringify(keys, null, 2));
  return path;
}

/**
 * Discovery in a real backend: the configured sources are registered at start-up, so their
 * health shows before the first scheduled run, and security reads it from the API.
 */
describe('GET /discovery/sources against a real backend', () => {
  const databases = createTestDatabases();

  it('runs on every database the test command provides', () => {
    expect(databases.eachSupportedId().flat()).toEqual(expectedDatabaseIds);
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;
    let backend: ReviewBackend;
    const GCP_ODD = gcpKeysWithOddCell();

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      backend = await startReviewBackend(
        knex,
        [
          identityEntity('pay-a'),
          // Declared by its principal, under the provider name teams write.
          identityEntity('ci-deployer', {
            provider: 'aws-iam',
            externalId: CI_DEPLOYER,
          }),
        ],
        {
          discovery: {
            sources: [
              { id: 'aws-prod', format: 'aws-credential-report', path: REPORT },
              {
                id: 'k8s-prod',
                format: 'kubernetes-service-accounts',
                path: MISSING,
              },
              {
                id: 'gcp-prod',
                format: 'gcp-service-account-keys',
                path: GCP_ODD,
              },
            ],
          },
        },
      );
      await backend.refresh();
    });

    afterAll(async () => {
      await backend?.stop();
    });

    it('shows each configured source before its first run, to security only', async () => {
      const res = await backend.get('/discovery/sources', SAM);
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([
        {
          id: 'aws-prod',
          format: 'aws-credential-report',
          location: REPORT,
          credentials: 0,
          runs: [],
        },
        {
          id: 'gcp-prod',
          format: 'gcp-service-account-keys',
          location: GCP_ODD,
          credentials: 0,
          runs: [],
        },
        {
          id: 'k8s-prod',
          format: 'kubernetes-service-accounts',
          location: MISSING,
          credentials: 0,
          runs: [],
        },
      ]);
      const refused = await backend.get('/discovery/sources', DANA);
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toContain('nhi.admin.read');
    });

    it('shows the last run of each source: what it read, or why it failed', async () => {
      // The scheduled runs, as the scheduler would start them.
      const runner = new SourceRunner(createStores(knex));
      const frequency = Duration.fromISO('PT1H');
      const ok = await runner.run({
        id: 'aws-prod',
        format: 'aws-credential-report',
        location: { path: REPORT },
        frequency,
      });
      await runner.run({
        id: 'k8s-prod',
        format: 'kubernetes-service-accounts',
        location: { path: MISSING },
        frequency,
      });
      const { body } = await backend.get('/discovery/sources', SAM);
      const [aws, , k8s] = body.items;
      expect(aws).toMatchObject({
        lastStatus: 'ok',
        credentials: (ok as { credentials: number }).credentials,
        runs: [
          {
            status: 'ok',
            rowsRead: expect.any(Number),
            warningCount: 0,
            warnings: [],
          },
        ],
      });
      expect(aws.credentials).toBeGreaterThan(0);
      expect(k8s).toMatchObject({
        lastStatus: 'failed',
        lastError: expect.stringMatching(/^k8s-prod: .*ENOENT/),
        credentials: 0,
        runs: [{ status: 'failed', error: expect.stringContaining('ENOENT') }],
      });
    });

    it('answers a read with its warnings, and shows them in the source health, by where and field', async () => {
      const res = await backend.post(
        '/discovery/sources/gcp-prod/run',
        {},
        SAM,
      );
      expect(res.status).toBe(200);
      const warning = {
        location: '$[1]',
        field: 'validAfterTime',
        reason: expect.stringContaining('read as unknown'),
      };
      // One odd cell does not fail the file.
      expect(res.body).toMatchObject({
        status: 'ok',
        warningCount: 1,
        warnings: [warning],
      });
      const { body } = await backend.get('/discovery/sources', SAM);
      const gcp = body.items.find((s: { id: string }) => s.id === 'gcp-prod');
      expect(gcp).toMatchObject({
        lastStatus: 'ok',
        runs: [{ status: 'ok', warningCount: 1, warnings: [warning] }],
      });
    });

    it('lists what a source read, each credential with the identity declared for it', async () => {
      const all = await backend.get(
        '/discovery/sources/aws-prod/credentials?limit=2',
        SAM,
      );
      expect(all.status).toBe(200);
      expect(all.body.items).toHaveLength(2);
      // Every page, in order, with no credential twice.
      const seen = [...all.body.items];
      let next = all.body.nextAfter;
      while (next) {
        const page = await backend.get(
          `/discovery/sources/aws-prod/credentials?limit=2&after=${next}`,
          SAM,
        );
        seen.push(...page.body.items);
        next = page.body.nextAfter;
      }
      const ids = seen.map(c => c.externalId);
      expect(new Set(ids).size).toBe(ids.length);
      // Both of ci-deployer's keys are the identity declared by its principal.
      const declared = seen.filter(c => c.declaredAs);
      expect(declared.map(c => c.externalId).sort()).toEqual([
        `${CI_DEPLOYER}#access_key_1`,
        `${CI_DEPLOYER}#access_key_2`,
      ]);
      for (const c of declared) {
        expect(c.declaredAs).toBe('machineidentity:default/ci-deployer');
      }
      const undeclared = await backend.get(
        '/discovery/sources/aws-prod/credentials?undeclared=true&limit=500',
        SAM,
      );
      expect(
        undeclared.body.items.map((c: any) => c.externalId).sort(),
      ).toEqual(ids.filter(id => !id.startsWith(`${CI_DEPLOYER}#`)).sort());
      // No secret value is kept for any of them: only ids, dates and flags.
      expect(JSON.stringify(seen)).not.toMatch(/secret|password"/i);
    });

    it.each([
      ['/discovery/sources/nope/credentials', 404, 'No discovery source nope'],
      [
        '/discovery/sources/aws-prod/credentials?limit=0',
        400,
        'Invalid query: limit must be at least 1',
      ],
      [
        '/discovery/sources/aws-prod/credentials?after=garbage',
        400,
        'query.after is not a cursor this API gave out',
      ],
    ])('answers %s with %i, naming why', async (path, status, message) => {
      const res = await backend.get(path, SAM);
      expect(res.status).toBe(status);
      expect(res.body.error.message).toContain(message);
    });
  });
});
