import { copyFileSync, mkdtempSync, writeFileSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { Knex } from 'knex';
import {
  createTestDatabases,
  expectedDatabaseIds,
} from '../__testUtils__/databases';
import {
  ReviewBackend,
  identityEntity,
  startReviewBackend,
} from '../__testUtils__/reviewBackend';

jest.setTimeout(180_000);

const SAM = 'user:default/sam';
const DANA = 'user:default/dana';
const fixture = (name: string) => join(__dirname, '__fixtures__', name);
const ACCOUNT = 'arn:aws:iam::123456789012:';
const CI_DEPLOYER = `${ACCOUNT}user/ci-deployer`;
const VAULT_ENTITY = '7d2e5f8a-1b3c-4d6e-9f0a-2b4c6d8e0f13';

/** Every source format, each reading its documented sample. */
const SOURCES = [
  ['aws', 'aws-credential-report', 'aws-credential-report.csv'],
  ['gcp', 'gcp-service-account-keys', 'gcp-service-account-keys.json'],
  ['entra-apps', 'entra-applications', 'entra-applications.json'],
  ['entra-sps', 'entra-applications', 'entra-service-principals.json'],
  [
    'gh-pats',
    'github-personal-access-tokens',
    'github-personal-access-tokens.json',
  ],
  ['gh-apps', 'github-app-installations', 'github-app-installations.json'],
  [
    'k8s',
    'kubernetes-service-accounts',
    'kubernetes-serviceaccounts-secrets.json',
  ],
  ['cloudtrail', 'aws-cloudtrail', 'aws-cloudtrail.json'],
  ['vault', 'vault-audit', 'vault-audit.jsonl'],
  ['gitleaks', 'gitleaks', 'gitleaks-report.json'],
  ['trufflehog', 'trufflehog', 'trufflehog.jsonl'],
] as const;

/** The secret values the samples hold, which nothing may keep. */
const SECRETS = [
  'AKIAI44QH8DHBEXAMPLE', // gitleaks Secret
  'ghp_4fTq9ZxV2mLr8NcW1yHs6KpD3jBe7GaU0oQi', // gitleaks Secret
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', // trufflehog RawV2
];

/**
 * Every sample read through the real backend, as the scheduler would read it: the identities,
 * findings and events that result, and what a bad file leaves in place.
 */
describe('discovery sources into identities, findings and events', () => {
  const databases = createTestDatabases();

  it('runs on every database the test command provides', () => {
    expect(databases.eachSupportedId().flat()).toEqual(expectedDatabaseIds);
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;
    let backend: ReviewBackend;
    const logs: string[] = [];
    // The credential report is read from a copy, so that a test can break it.
    const report = join(mkdtempSync(join(tmpdir(), 'nhi-')), 'report.csv');

    const run = async (id: string) => {
      const res = await backend.post(`/discovery/sources/${id}/run`, {}, SAM);
      expect({ status: res.status, error: res.body.error?.message }).toEqual({
        status: 200,
        error: undefined,
      });
      return res.body;
    };
    const identity = async (ref: string) => {
      const [, namespace, name] = /^[^:]+:([^/]+)\/(.+)$/.exec(ref)!;
      const res = await backend.get(`/identities/${namespace}/${name}`, SAM);
      expect(res.status).toBe(200);
      return res.body;
    };
    const listAll = async () => {
      const res = await backend.get('/identities?limit=500', SAM);
      expect(res.body.totalItems).toBeLessThan(500);
      return res.body.items as any[];
    };
    const codes = (view: any) =>
      (view.status?.findings ?? []).map((f: any) => f.code);

    beforeAll(async () => {
      copyFileSync(fixture('aws-credential-report.csv'), report);
      knex = await databases.init(databaseId);
      backend = await startReviewBackend(
        knex,
        [
          identityEntity('pay-a'),
          // Declared by its principal; the YAML says it was rotated lately, the source not.
          identityEntity('ci-deployer', {
            provider: 'aws-iam',
            externalId: CI_DEPLOYER,
            credential: {
              createdAt: '2021-06-01',
              lastRotatedAt: '2026-11-01',
            },
          }),
          // In the account the report covers, and no longer in it.
          identityEntity('retired-job', {
            provider: 'aws-iam',
            externalId: `${ACCOUNT}user/retired-job`,
          }),
          // Another account: the report says nothing about it.
          identityEntity('elsewhere', {
            provider: 'aws-iam',
            externalId: 'arn:aws:iam::999999999999:user/elsewhere',
          }),
          identityEntity('vault-payments', {
            provider: 'vault',
            externalId: VAULT_ENTITY,
          }),
          identityEntity('deploy-app', {
            type: 'oauth-client',
            provider: 'github',
            externalId: 'github-app:301122 (installation 53311940, org acme)',
          }),
        ],
        {
          discovery: {
            sources: SOURCES.map(([id, format, file]) => ({
              id,
              format,
              path: id === 'aws' ? report : fixture(file),
              ...(id === 'aws' ? { authoritativeFor: [ACCOUNT] } : {}),
            })),
          },
        },
        { logs },
      );
      await backend.refresh();
      for (const [id] of SOURCES) {
        const result = await run(id);
        if (result.status !== 'ok') throw new Error(`${id}: ${result.error}`);
      }
    });

    afterAll(async () => {
      await backend?.stop();
    });

    it('keeps what nobody declared as discovered identities, each with an undeclared finding', async () => {
      const all = await listAll();
      const discovered = all.filter(i => i.source.startsWith('discovery:'));
      const health = (await backend.get('/discovery/sources', SAM)).body.items;
      const summary = (id: string) =>
        health.find((s: any) => s.id === id).summary;
      const credentialSources = SOURCES.slice(0, 7).map(([id]) => id);
      expect(discovered).toHaveLength(
        credentialSources.reduce((n, id) => n + summary(id).discovered, 0),
      );
      for (const id of credentialSources) {
        expect(summary(id).discovered).toBeGreaterThan(0);
        expect(
          discovered.filter(i => i.source === `discovery:${id}`),
        ).toHaveLength(summary(id).discovered);
      }
      for (const i of discovered) {
        expect(i.ref).toMatch(/^machineidentity:discovered\//);
        // A credential that no longer works is not to be declared, only deleted.
        const inactive = codes(i).includes('inactive-key');
        expect(codes(i)).toContain(inactive ? 'inactive-key' : 'undeclared');
        expect(codes(i).includes('undeclared')).toBe(!inactive);
        expect(
          i.status.findings.find((f: any) =>
            [inactive ? 'inactive-key' : 'undeclared'].includes(f.code),
          ).controls.soc2,
        ).toContain(inactive ? 'CC6.2' : 'CC6.1');
      }
      // ci-deployer's two keys are the declared identity, not discovered ones.
      expect(summary('aws')).toMatchObject({ declared: 1, missing: 1 });
      expect(discovered.map(i => i.externalId)).not.toContain(
        `${CI_DEPLOYER}#access_key_1`,
      );
    });

    it('raises what the source itself proves: an active root key is critical', async () => {
      const root = (await listAll()).find(
        i => i.externalId === `${ACCOUNT}root#access_key_1`,
      );
      const finding = root.status.findings.find(
        (f: any) => f.code === 'root-access-key',
      );
      expect(finding).toMatchObject({ severity: 'critical' });
      expect(root.status.risk).toBeGreaterThan(0);
    });

    it('infers the owner a Kubernetes label names, and shows the identity on that team', async () => {
      const fromK8s = (await listAll()).filter(
        i => i.source === 'discovery:k8s',
      );
      const owned = fromK8s.filter(i => i.owner === 'group:default/payments');
      expect(owned.length).toBeGreaterThan(0);
      const team = await backend.get(
        '/entities/group/default/payments/identities?limit=500',
        SAM,
      );
      const refs = team.body.items.map((i: any) => i.ref);
      for (const i of owned) expect(refs).toContain(i.ref);
      // Without a label naming a team it is unowned, and says so.
      const unowned = fromK8s.filter(i => !i.owner);
      for (const i of unowned) expect(codes(i)).toContain('owner-missing');
    });

    it('lets the source win on dates, and shows where the YAML disagrees', async () => {
      const body = await identity('machineidentity:default/ci-deployer');
      const aws = body.sources.find((s: any) => s.sourceId === 'aws');
      expect(aws).toMatchObject({
        listed: true,
        format: 'aws-credential-report',
        readAt: expect.any(String),
      });
      expect(aws.credentials.map((c: any) => c.externalId).sort()).toEqual([
        `${CI_DEPLOYER}#access_key_1`,
        `${CI_DEPLOYER}#access_key_2`,
      ]);
      expect(aws.disagreements).toEqual(
        expect.arrayContaining([
          {
            field: 'lastRotatedAt',
            declared: '2026-11-01',
            source: aws.dates.lastRotatedAt,
          },
        ]),
      );
      // Judged by the source's rotation date, which policy finds overdue.
      expect(body.identity.status.rotation.lastRotatedAt.slice(0, 10)).toBe(
        aws.dates.lastRotatedAt.slice(0, 10),
      );
      expect(codes(body.identity)).toContain('rotation-overdue');
    });

    it('says missing at source only for a declared identity in the scope the source covers', async () => {
      const retired = await identity('machineidentity:default/retired-job');
      expect(codes(retired.identity)).toContain('missing-at-source');
      expect(retired.sources).toEqual([
        expect.objectContaining({ sourceId: 'aws', listed: false }),
      ]);
      const elsewhere = await identity('machineidentity:default/elsewhere');
      expect(codes(elsewhere.identity)).not.toContain('missing-at-source');
      expect(elsewhere.sources).toEqual([]);
    });

    it('matches a GitHub App installation to the declaration naming it', async () => {
      const app = await identity('machineidentity:default/deploy-app');
      expect(app.sources).toEqual([
        expect.objectContaining({ sourceId: 'gh-apps', listed: true }),
      ]);
      expect(codes(app.identity)).not.toContain('undeclared');
    });

    it('turns usage logs into used and auth-failed events per identity per day', async () => {
      // The samples are from May: older than the 90 days the identity page charts.
      const daily = async (name: string) =>
        (
          await knex('nhi_usage_daily')
            .where('identity_ref', `machineidentity:default/${name}`)
            .select('day', 'uses', 'auth_failures', 'addresses', 'hours')
        ).map(r => ({
          ...r,
          uses: Number(r.uses),
          auth_failures: Number(r.auth_failures),
        }));
      // Three CloudTrail calls: one allowed and two refused after authenticating.
      expect(await daily('ci-deployer')).toEqual([
        expect.objectContaining({
          day: '2026-05-07',
          uses: 3,
          auth_failures: 0,
        }),
      ]);
      const [day] = await daily('ci-deployer');
      expect(JSON.parse(day.addresses).sort()).toEqual([
        '192.0.2.77',
        '203.0.113.24',
      ]);
      expect(Number(day.hours)).toBe(1 << 10);
      const ci = await identity('machineidentity:default/ci-deployer');
      expect(ci.identity.status.usage.lastUsedAt).toMatch(/^2026-05-07/);
      expect(
        ci.sources.find((s: any) => s.sourceId === 'cloudtrail').usage,
      ).toMatchObject({ uses: 3, authFailures: 0 });
      const vault = await daily('vault-payments');
      expect(vault).toEqual([expect.objectContaining({ day: '2026-05-07' })]);
      expect(vault[0].uses).toBeGreaterThan(0);
      // Read again, the same log counts nothing twice: its checkpoint says every record of
      // the file was counted.
      const again = await run('cloudtrail');
      expect(again).toMatchObject({
        status: 'ok',
        summary: { attributed: 0, counted: 0 },
      });
      const summary = (again as any).summary;
      expect(summary.alreadyCounted).toBe(summary.observations);
      expect(summary.observations).toBeGreaterThan(0);
      expect((await daily('ci-deployer'))[0].uses).toBe(3);
    });

    it('opens a secret-leaked finding where a scanner found a credential, keeping no secret', async () => {
      const ci = await identity('machineidentity:default/ci-deployer');
      const leaked = ci.identity.status.findings.find(
        (f: any) => f.code === 'secret-leaked',
      );
      expect(leaked).toMatchObject({
        severity: 'critical',
        evidence: {
          verified: 'yes',
          locations: [
            expect.stringContaining('services/billing/config/settings.py:42'),
          ],
        },
      });
      expect(leaked.controls.owaspNhi).toContain('NHI2');
      // Nothing the scanners held as a secret is anywhere: tables, ledger, logs.
      const tables = [
        'nhi_identities',
        'nhi_identity_sources',
        'nhi_discovered_credentials',
        'nhi_ledger',
        'nhi_events',
        'nhi_usage_daily',
        'nhi_discovery_runs',
        'nhi_discovery_sources',
      ];
      const stored = JSON.stringify(
        await Promise.all(tables.map(t => knex(t).select())),
      );
      const logged = logs.join('\n');
      for (const secret of SECRETS) {
        expect(stored).not.toContain(secret);
        expect(logged).not.toContain(secret);
      }
      expect(logs.length).toBeGreaterThan(0);
    });

    it('keeps everything when a later file is bad, and never says an identity went missing', async () => {
      const before = await listAll();
      writeFileSync(
        report,
        readFileSync(fixture('aws-credential-report.csv'), 'utf8').slice(
          0,
          400,
        ),
      );
      const failed = await run('aws');
      expect(failed).toMatchObject({
        status: 'failed',
        error: expect.stringMatching(/^aws: /),
      });
      const after = await listAll();
      expect(after.map(i => i.ref).sort()).toEqual(
        before.map(i => i.ref).sort(),
      );
      const ci = await identity('machineidentity:default/ci-deployer');
      expect(codes(ci.identity)).not.toContain('missing-at-source');
      expect(ci.sources.find((s: any) => s.sourceId === 'aws').listed).toBe(
        true,
      );
      copyFileSync(fixture('aws-credential-report.csv'), report);
    });

    it('runs a source on demand only for security, and names an unknown one', async () => {
      const refused = await backend.post(
        '/discovery/sources/aws/run',
        {},
        DANA,
      );
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toContain('nhi.discovery.run');
      const unknown = await backend.post(
        '/discovery/sources/nope/run',
        {},
        SAM,
      );
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toContain('No discovery source nope');
    });
  });
});
