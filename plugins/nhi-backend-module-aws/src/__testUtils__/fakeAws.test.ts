import { createHash } from 'crypto';
import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  IAMClient,
  ListUsersCommand,
  ListUserTagsCommand,
  paginateListUserTags,
  paginateListUsers,
} from '@aws-sdk/client-iam';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import {
  ListAccountsCommand,
  OrganizationsClient,
  paginateListAccounts,
} from '@aws-sdk/client-organizations';
import {
  CREDENTIAL_REPORT_COLUMNS,
  FakeAws,
  FakeAwsOptions,
  startFakeAws,
} from './fakeAws';

const MANAGEMENT = '111111111111';
const MEMBER_A = '222222222222';
const MEMBER_B = '333333333333';

const options: FakeAwsOptions = {
  management: {
    id: MANAGEMENT,
    name: 'management',
    users: {
      ci: { owner: 'team-a', env: 'prod', 'nhi:purpose': 'deploys', cost: 'x' },
      backup: {},
    },
  },
  members: [
    {
      id: MEMBER_A,
      name: 'payments',
      users: { 'payments-bot': { owner: 'payments' }, reporter: {} },
    },
    { id: MEMBER_B, users: { lonely: { owner: 'b' } } },
  ],
  baseKey: {
    accessKeyId: 'AKIAFAKEBASEKEY00001',
    secretAccessKey: 'base-secret/with+chars',
  },
};

type Creds = {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
};

describe('startFakeAws with the real AWS SDK', () => {
  let fake: FakeAws;
  const clients: Array<{ destroy(): void }> = [];

  function config(credentials: Creds = options.baseKey) {
    return { region: 'us-east-1', endpoint: fake.endpoint, credentials };
  }
  function iam(credentials?: Creds) {
    const client = new IAMClient(config(credentials));
    clients.push(client);
    return client;
  }
  function sts(credentials?: Creds) {
    const client = new STSClient(config(credentials));
    clients.push(client);
    return client;
  }
  function orgs(credentials?: Creds) {
    const client = new OrganizationsClient(config(credentials));
    clients.push(client);
    return client;
  }
  async function assume(accountId: string): Promise<Creds> {
    const out = await sts().send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${accountId}:role/NhiDiscovery`,
        RoleSessionName: 'nhi-test',
      }),
    );
    return {
      accessKeyId: out.Credentials!.AccessKeyId!,
      secretAccessKey: out.Credentials!.SecretAccessKey!,
      sessionToken: out.Credentials!.SessionToken!,
    };
  }
  async function errorOf(promise: Promise<unknown>) {
    try {
      await promise;
    } catch (e) {
      return e as Error & { $metadata?: { httpStatusCode?: number } };
    }
    throw new Error('expected the call to fail');
  }

  beforeEach(async () => {
    fake = await startFakeAws(options);
  });

  afterEach(async () => {
    clients.splice(0).forEach(c => c.destroy());
    await fake.close();
  });

  it('accepts correctly signed requests and refuses a wrong secret', async () => {
    const who = await sts().send(new GetCallerIdentityCommand({}));
    expect(who.Account).toBe(MANAGEMENT);
    expect(who.Arn).toBe(`arn:aws:iam::${MANAGEMENT}:user/nhi-discovery`);

    const error = await errorOf(
      iam({
        accessKeyId: options.baseKey.accessKeyId,
        secretAccessKey: 'not-the-secret',
      }).send(new ListUsersCommand({})),
    );
    expect(error.name).toBe('SignatureDoesNotMatch');
    expect(error.$metadata?.httpStatusCode).toBe(403);
    expect(fake.requests.map(r => [r.service, r.action, r.status])).toEqual([
      ['sts', 'GetCallerIdentity', 200],
      ['iam', 'ListUsers', 403],
    ]);
  });

  it('checks the signature over the body', async () => {
    const client = iam();
    // Runs after signing: swap the body (and its declared hash) for another.
    client.middlewareStack.add(
      next => async args => {
        const request = (
          args as {
            request: { body: unknown; headers: Record<string, string> };
          }
        ).request;
        const body = String(request.body).replace('MaxItems=3', 'MaxItems=4');
        request.body = body;
        request.headers['x-amz-content-sha256'] = createHash('sha256')
          .update(body)
          .digest('hex');
        return next(args);
      },
      { step: 'deserialize', name: 'tamper' },
    );
    const error = await errorOf(
      client.send(new ListUsersCommand({ MaxItems: 3 })),
    );
    expect(error.name).toBe('SignatureDoesNotMatch');
  });

  it('refuses unsigned requests', async () => {
    const res = await fetch(fake.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=ListUsers&Version=2010-05-08',
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain(
      '<Code>MissingAuthenticationToken</Code>',
    );
  });

  it('generates and serves the credential report', async () => {
    const client = iam();
    const notYet = await errorOf(
      client.send(new GetCredentialReportCommand({})),
    );
    expect(notYet.name).toBe('CredentialReportNotPresentException');

    const first = await client.send(new GenerateCredentialReportCommand({}));
    expect(first.State).toBe('STARTED');
    expect(first.Description).toMatch(/Starting a new report generation/);
    const second = await client.send(new GenerateCredentialReportCommand({}));
    expect(second.State).toBe('COMPLETE');

    const report = await client.send(new GetCredentialReportCommand({}));
    expect(report.ReportFormat).toBe('text/csv');
    expect(report.GeneratedTime).toBeInstanceOf(Date);
    const lines = Buffer.from(report.Content!).toString('utf8').split('\n');
    expect(lines[0]).toBe(CREDENTIAL_REPORT_COLUMNS.join(','));
    expect(lines[1]).toMatch(
      new RegExp(`^<root_account>,arn:aws:iam::${MANAGEMENT}:root,`),
    );
    const rows = lines
      .slice(2)
      .map(line =>
        Object.fromEntries(
          line
            .split(',')
            .map((cell, i) => [CREDENTIAL_REPORT_COLUMNS[i], cell]),
        ),
      );
    expect(rows.map(r => r.arn)).toEqual([
      `arn:aws:iam::${MANAGEMENT}:user/ci`,
      `arn:aws:iam::${MANAGEMENT}:user/backup`,
    ]);
    expect(rows[0]).toMatchObject({
      user: 'ci',
      access_key_1_active: 'true',
      access_key_1_last_used_region: 'us-east-1',
      access_key_2_active: 'false',
      access_key_2_last_rotated: 'N/A',
    });
    expect(rows[0].access_key_1_last_used_date).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/,
    );
  });

  it('answers ReportInProgress to a poll before generation completes', async () => {
    const client = iam();
    await client.send(new GenerateCredentialReportCommand({}));
    const error = await errorOf(
      client.send(new GetCredentialReportCommand({})),
    );
    expect(error.name).toBe('CredentialReportNotReadyException');
    const report = await client.send(new GetCredentialReportCommand({}));
    expect(report.Content?.length).toBeGreaterThan(0);
  });

  it('pages user tags and users', async () => {
    const client = iam();
    const tags: Array<[string, string]> = [];
    for await (const page of paginateListUserTags(
      { client },
      { UserName: 'ci' },
    )) {
      for (const tag of page.Tags ?? []) tags.push([tag.Key!, tag.Value!]);
    }
    expect(tags).toEqual(Object.entries(options.management.users.ci));
    const tagCalls = fake.requests.filter(r => r.action === 'ListUserTags');
    expect(tagCalls).toHaveLength(2);
    expect(tagCalls[1].params.Marker).toBeDefined();

    const firstPage = await client.send(
      new ListUserTagsCommand({ UserName: 'ci', MaxItems: 1 }),
    );
    expect(firstPage.Tags).toHaveLength(1);
    expect(firstPage.IsTruncated).toBe(true);

    const users: string[] = [];
    for await (const page of paginateListUsers({ client }, {})) {
      users.push(...(page.Users ?? []).map(u => u.UserName!));
    }
    expect(users).toEqual(['ci', 'backup']);

    const missing = await errorOf(
      client.send(new ListUserTagsCommand({ UserName: 'nobody' })),
    );
    expect(missing.name).toBe('NoSuchEntityException');
    expect(missing.$metadata?.httpStatusCode).toBe(404);
  });

  it('assumes a role into a member and sees its users', async () => {
    const creds = await assume(MEMBER_A);
    expect(creds.accessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(fake.issuedKeys).toEqual([
      expect.objectContaining({
        accessKeyId: creds.accessKeyId,
        accountId: MEMBER_A,
      }),
    ]);

    const member = iam(creds);
    const users: string[] = [];
    for await (const page of paginateListUsers({ client: member }, {})) {
      users.push(...(page.Users ?? []).map(u => u.UserName!));
    }
    expect(users).toEqual(['payments-bot', 'reporter']);
    await member.send(new GenerateCredentialReportCommand({}));
    await member.send(new GenerateCredentialReportCommand({}));
    const report = await member.send(new GetCredentialReportCommand({}));
    expect(Buffer.from(report.Content!).toString()).toContain(
      `arn:aws:iam::${MEMBER_A}:user/payments-bot`,
    );
    expect(
      fake.requests
        .filter(r => r.service === 'iam')
        .every(r => r.accountId === MEMBER_A),
    ).toBe(true);

    const who = await sts(creds).send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe(
      `arn:aws:sts::${MEMBER_A}:assumed-role/NhiDiscovery/nhi-test`,
    );

    // The temporary key is only good with its session token.
    const tokenless = await errorOf(
      iam({ ...creds, sessionToken: undefined }).send(new ListUsersCommand({})),
    );
    expect(tokenless.name).toBe('InvalidClientTokenId');

    fake.expireTemporaryKeys();
    const expired = await errorOf(member.send(new ListUsersCommand({})));
    expect(expired.name).toBe('ExpiredToken');
  });

  it('pages the organization accounts, for the management account only', async () => {
    const client = orgs();
    const ids: string[] = [];
    for await (const page of paginateListAccounts({ client }, {})) {
      for (const account of page.Accounts ?? []) {
        expect(account.Status).toBe('ACTIVE');
        expect(account.JoinedTimestamp).toBeInstanceOf(Date);
        ids.push(account.Id!);
      }
    }
    expect(ids).toEqual([MANAGEMENT, MEMBER_A, MEMBER_B]);
    expect(
      fake.requests.filter(
        r => r.service === 'organizations' && r.action === 'ListAccounts',
      ),
    ).toHaveLength(3);

    const member = orgs(await assume(MEMBER_B));
    const denied = await errorOf(member.send(new ListAccountsCommand({})));
    expect(denied.name).toBe('AccessDeniedException');
  });

  it('throttles, and the SDK retries', async () => {
    const client = iam();
    await client.send(new GenerateCredentialReportCommand({}));
    await client.send(new GenerateCredentialReportCommand({}));
    fake.throttle('GetCredentialReport', 1);
    const report = await client.send(new GetCredentialReportCommand({}));
    expect(report.$metadata.attempts).toBe(2);
    expect(
      fake.requests
        .filter(r => r.action === 'GetCredentialReport')
        .map(r => r.status),
    ).toEqual([400, 200]);

    fake.throttle('ListAccounts', 1);
    const accounts = await orgs().send(new ListAccountsCommand({}));
    expect(accounts.$metadata.attempts).toBe(2);
  });

  it('refuses a revoked key', async () => {
    fake.revokeKey(options.baseKey.accessKeyId);
    const error = await errorOf(iam().send(new ListUsersCommand({})));
    expect(error.name).toBe('InvalidClientTokenId');
    expect(error.message).toBe(
      'The security token included in the request is invalid.',
    );
    const orgError = await errorOf(orgs().send(new ListAccountsCommand({})));
    expect(orgError.name).toBe('UnrecognizedClientException');
  });

  it('denies AssumeRole into a chosen or unknown account', async () => {
    fake.denyAssumeRole(MEMBER_B);
    const denied = await errorOf(assume(MEMBER_B));
    expect(denied.name).toBe('AccessDenied');
    expect(denied.message).toBe(
      `User: arn:aws:iam::${MANAGEMENT}:user/nhi-discovery is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${MEMBER_B}:role/NhiDiscovery`,
    );
    expect((await errorOf(assume('999999999999'))).name).toBe('AccessDenied');
    await expect(assume(MEMBER_A)).resolves.toBeDefined();
  });

  it('fails IAM for one account until restored', async () => {
    fake.failIam(MANAGEMENT);
    const client = iam();
    const error = await errorOf(client.send(new ListUsersCommand({})));
    expect(error.name).toBe('InternalFailure');
    expect(error.$metadata?.httpStatusCode).toBe(500);
    expect(fake.requests.map(r => r.status)).toEqual([500, 500, 500]);
    fake.restoreIam(MANAGEMENT);
    await expect(client.send(new ListUsersCommand({}))).resolves.toBeDefined();
  });
});
