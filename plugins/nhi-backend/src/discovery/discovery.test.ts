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
const MISSING = join(__dirname, '__fixtures__', 'no-such-export.json');

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

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      backend = await startReviewBackend(knex, [identityEntity('pay-a')], {
        discovery: {
          sources: [
            { id: 'aws-prod', format: 'aws-credential-report', path: REPORT },
            {
              id: 'k8s-prod',
              format: 'kubernetes-service-accounts',
              path: MISSING,
            },
          ],
        },
      });
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
      const runner = new SourceRunner(knex);
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
      const [aws, k8s] = body.items;
      expect(aws).toMatchObject({
        lastStatus: 'ok',
        credentials: (ok as { credentials: number }).credentials,
        runs: [{ status: 'ok', rowsRead: expect.any(Number) }],
      });
      expect(aws.credentials).toBeGreaterThan(0);
      expect(k8s).toMatchObject({
        lastStatus: 'failed',
        lastError: expect.stringMatching(/^k8s-prod: .*ENOENT/),
        credentials: 0,
        runs: [{ status: 'failed', error: expect.stringContaining('ENOENT') }],
      });
    });
  });
});
