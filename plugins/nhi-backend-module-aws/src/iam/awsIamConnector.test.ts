// The connector is tested inside the real plugin it extends: its runs, scopes and health.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import { startConnectorBackend } from '@nhi-governance/plugin-nhi-backend/testUtils';
import { awsIamConnector } from './awsIamConnector';
import { nhiModuleAws } from '../module';
import { FakeAws, startFakeAws } from '../__testUtils__/fakeAws';

// These tests run the real AWS SDK over real HTTP against a local server that answers in AWS's
// documented shapes (src/__testUtils__/fakeAws.ts), never against AWS itself.

jest.setTimeout(60_000);

const MANAGEMENT = '111111111111';
const PAYMENTS = '222222222222';
const DATA = '333333333333';
const BASE_KEY = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

/** An organisation of three accounts; users' tags, some owners on a second page of tags. */
const startOrganisation = () =>
  startFakeAws({
    baseKey: BASE_KEY,
    management: {
      id: MANAGEMENT,
      name: 'management',
      users: { 'billing-export': { owner: 'group:default/finance' } },
    },
    members: [
      {
        id: PAYMENTS,
        name: 'payments',
        users: {
          'ci-deployer': {
            env: 'prod',
            'cost-center': '42',
            team: 'group:default/payments',
          },
          'legacy-batch': {},
        },
      },
      {
        id: DATA,
        name: 'data',
        users: { etl: { Owner: 'group:default/data' } },
      },
    ],
  });

/** A backend with the nhi plugin, this module, and one aws-iam source reading `fake`. */
async function backendReading(fake: FakeAws, settings: object) {
  const backend = await startConnectorBackend({
    features: [nhiModuleAws],
    sourceId: 'aws-org',
    connector: 'aws-iam',
    config: { aws: { mainAccount: BASE_KEY } },
    settings: {
      roleName: 'NhiDiscovery',
      endpoints: {
        iam: fake.endpoint,
        sts: fake.endpoint,
        organizations: fake.endpoint,
      },
      ...settings,
    },
  });
  return {
    ...backend,
    credentials: async () =>
      (await backend.credentials()).map(
        c =>
          `${c.scope} ${c.principal.split('/').pop()} ${c.kind} ${
            c.ownerHint ?? '-'
          }`,
      ),
  };
}

describe('the aws-iam connector', () => {
  let fake: FakeAws;

  beforeEach(async () => {
    fake = await startOrganisation();
  });

  afterEach(async () => {
    await fake.close();
  });

  it('reads every account of the organisation, each through its own role, with owners from tags', async () => {
    const backend = await backendReading(fake, { organization: true });
    const res = await backend.run();
    expect(res.body).toMatchObject({ status: 'ok' });
    expect(await backend.credentials()).toEqual(
      expect.arrayContaining([
        `${MANAGEMENT} billing-export access-key group:default/finance`,
        `${PAYMENTS} ci-deployer access-key group:default/payments`,
        `${PAYMENTS} legacy-batch access-key -`,
        `${DATA} etl access-key group:default/data`,
      ]),
    );
    expect((await backend.health()).runs[0].scopes).toEqual([
      { scope: MANAGEMENT, status: 'ok', credentials: expect.any(Number) },
      { scope: PAYMENTS, status: 'ok', credentials: expect.any(Number) },
      { scope: DATA, status: 'ok', credentials: expect.any(Number) },
    ]);
    // Signed requests only (the server checks each signature): the management account with
    // the integration's key, each member with the key its assumed role gave.
    const iamCalls = fake.requests.filter(r => r.service === 'iam');
    expect(iamCalls.every(r => r.status === 200)).toBe(true);
    for (const member of [PAYMENTS, DATA]) {
      const issued = fake.issuedKeys.find(k => k.accountId === member)!;
      expect(issued.roleArn).toBe(`arn:aws:iam::${member}:role/NhiDiscovery`);
      expect(
        iamCalls
          .filter(r => r.accountId === member)
          .every(r => r.accessKeyId === issued.accessKeyId),
      ).toBe(true);
    }
    expect(
      iamCalls
        .filter(r => r.accountId === MANAGEMENT)
        .every(r => r.accessKeyId === BASE_KEY.accessKeyId),
    ).toBe(true);
    // Every page: three ListAccounts pages, and the tag on ci-deployer's second page.
    expect(
      fake.requests.filter(r => r.action === 'ListAccounts').length,
    ).toBeGreaterThanOrEqual(3);
  });

  it('keeps the last good credentials of an account that fails while the others update', async () => {
    const backend = await backendReading(fake, {
      accounts: [MANAGEMENT, PAYMENTS, DATA],
    });
    expect((await backend.run()).body.status).toBe('ok');
    const before = await backend.credentials();

    fake.denyAssumeRole(PAYMENTS);
    fake.failIam(DATA);
    const second = await backend.run();
    expect(second.body.status).toBe('ok');
    expect(await backend.credentials()).toEqual(before);
    const scopes = (await backend.health()).runs[0].scopes;
    expect(scopes.map((s: any) => [s.scope, s.status])).toEqual([
      [MANAGEMENT, 'ok'],
      [PAYMENTS, 'failed'],
      [DATA, 'failed'],
    ]);
    expect(scopes[1].error).toMatch(
      new RegExp(
        `^could not assume arn:aws:iam::${PAYMENTS}:role/NhiDiscovery: AccessDenied: User: .* is not authorized to perform: sts:AssumeRole`,
      ),
    );
    expect(scopes[2].error).toMatch(/^InternalFailure/);
    expect(scopes[1].keptFrom).toEqual(expect.any(String));
  });

  it('waits out throttling with the SDK retry and back-off', async () => {
    const backend = await backendReading(fake, { organization: true });
    fake.throttle('ListAccounts', 1);
    fake.throttle('GetCredentialReport', 1);
    fake.throttle('ListUserTags', 1);
    expect((await backend.run()).body.status).toBe('ok');
    const statuses = (action: string) =>
      fake.requests.filter(r => r.action === action).map(r => r.status);
    for (const action of [
      'ListAccounts',
      'GetCredentialReport',
      'ListUserTags',
    ]) {
      expect(statuses(action).slice(0, 2)).toEqual([400, 200]);
    }
    expect((await backend.health()).runs[0].scopes).toHaveLength(3);
  });

  it('says plainly on the Discovery tab that AWS refused revoked credentials', async () => {
    const backend = await backendReading(fake, { organization: true });
    expect((await backend.run()).body.status).toBe('ok');
    fake.revokeKey(BASE_KEY.accessKeyId);
    const failed = await backend.run();
    expect(failed.body.status).toBe('failed');
    const health = await backend.health();
    expect(health.lastError).toBe(
      "aws-org: the aws integration's own credentials could not be used, so no account was read: AWS refused the credentials (InvalidClientTokenId: The security token included in the request is invalid.); they may have been revoked, rotated or have expired: check the aws integration config",
    );
    expect(health.lastError).not.toContain(BASE_KEY.secretAccessKey);
    // The last good read stands.
    expect(health.credentials).toBeGreaterThan(0);
  });

  it('refuses settings that name no account, or a malformed one, naming the field', async () => {
    const connector = awsIamConnector({ credentials: {} as any });
    const check = (settings: object) =>
      connector
        .settingsSchema!.safeParse(settings)
        .error?.issues.map(i => `${i.path.join('.')}: ${i.message}`);
    expect(check({})).toEqual([
      'accounts: give accounts, or organization: true',
    ]);
    expect(check({ accounts: ['12345'] })).toEqual([
      'accounts.0: must be a 12-digit AWS account id',
    ]);
    expect(
      check({ organization: true, endpoints: { iam: 'not a url' } }),
    ).toEqual(['endpoints.iam: Invalid URL']);
  });
});
