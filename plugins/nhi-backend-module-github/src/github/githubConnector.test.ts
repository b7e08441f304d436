// The connector is tested inside the real plugin it extends: its runs, scopes and health.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import { startConnectorBackend } from '@nhi-governance/plugin-nhi-backend/testUtils';
import { githubConnector } from './githubConnector';
import { nhiModuleGithub } from '../module';
import { FakeGithub, installation } from '../__testUtils__/fakeGithub';
import {
  EVERYTHING,
  startGithub,
  TOKEN,
} from '../__testUtils__/twoOrganisations';

// These tests run the real Octokit over real HTTP against a local server that answers in
// GitHub's documented shapes (src/__testUtils__/fakeGithub.ts), never against GitHub itself.

jest.setTimeout(60_000);

/** A backend with the nhi plugin, this module, and one github source reading `fake`. */
async function backendReading(
  fake: FakeGithub,
  settings: object = {},
  integration: object = { token: TOKEN },
) {
  const backend = await startConnectorBackend({
    features: [nhiModuleGithub],
    sourceId: 'github-orgs',
    connector: 'github',
    config: {
      integrations: {
        github: [{ host: 'github.com', apiBaseUrl: fake.url, ...integration }],
      },
    },
    settings: { organizations: ['acme', 'globex'], ...settings },
  });
  return {
    items: backend.credentials,
    run: backend.run,
    health: backend.health,
    credentials: async () =>
      (await backend.credentials())
        .map(
          c =>
            `${c.scope} ${c.kind} ${c.principal} ${c.externalId} ${
              c.active ? 'active' : 'inactive'
            }`,
        )
        .sort(),
  };
}

describe('the github connector', () => {
  let fake: FakeGithub;

  beforeEach(async () => {
    fake = await startGithub();
  });

  afterEach(async () => {
    await fake.close();
  });

  const statuses = (path: string) =>
    fake.requests.filter(r => r.path === path).map(r => r.status);

  it('reads every page of both lists of each organisation, sending the token each time', async () => {
    const backend = await backendReading(fake);
    expect((await backend.run()).body).toMatchObject({ status: 'ok' });
    expect(await backend.credentials()).toEqual(EVERYTHING);
    // What the file formats read: a token's last use, an installation's unknown one.
    const byId = new Map<string, any>(
      (await backend.items()).map((c: any) => [c.externalId, c]),
    );
    expect(byId.get('9001')).toMatchObject({
      displayName: 'deploy-bot: release pipeline',
      lastUsedAt: expect.stringMatching(/^2025-01-10T12:00:00/),
    });
    expect(byId.get('9001').usageUnknown).toBeUndefined();
    expect(byId.get('101')).toMatchObject({
      displayName: 'renovate (app 1)',
      usageUnknown: true,
      scopes: expect.arrayContaining(['repositories:selected']),
    });
    expect(byId.get('103').disabledReason).toMatch(/^suspended .* by octocat$/);
    expect((await backend.health()).runs[0].scopes).toEqual([
      { scope: 'acme', status: 'ok', credentials: 6 },
      { scope: 'globex', status: 'ok', credentials: 2 },
    ]);
    const pages = (path: string) =>
      fake.requests.filter(r => r.path === path).map(r => r.page);
    expect(pages('/orgs/acme/personal-access-tokens')).toEqual([1, 2]);
    expect(pages('/orgs/acme/installations')).toEqual([1, 2]);
    expect(pages('/orgs/globex/personal-access-tokens')).toEqual([1]);
    expect(pages('/orgs/globex/installations')).toEqual([1]);
    expect(fake.requests.map(r => r.authorization)).toEqual(
      fake.requests.map(() => `token ${TOKEN}`),
    );
  });

  it('reads only the lists its settings name', async () => {
    const backend = await backendReading(fake, { read: ['app-installations'] });
    expect((await backend.run()).body.status).toBe('ok');
    expect(await backend.credentials()).toEqual(
      EVERYTHING.filter(c => c.includes('app-installation')),
    );
    expect(fake.requests.map(r => r.path)).not.toContainEqual(
      expect.stringContaining('personal-access-tokens'),
    );
  });

  it('waits out primary and secondary rate limits as GitHub says, then reads on', async () => {
    const backend = await backendReading(fake);
    fake.throttle('rate-limit', '/orgs/acme/personal-access-tokens');
    fake.throttle('secondary-limit', '/orgs/globex/installations');
    expect((await backend.run()).body.status).toBe('ok');
    expect(statuses('/orgs/acme/personal-access-tokens')).toEqual([
      403, 200, 200,
    ]);
    expect(statuses('/orgs/globex/installations')).toEqual([429, 200]);
    expect(await backend.credentials()).toEqual(EVERYTHING);
  });

  it('tries a server error again', async () => {
    const backend = await backendReading(fake);
    fake.failOrg('acme', 500, 1);
    expect((await backend.run()).body.status).toBe('ok');
    expect(statuses('/orgs/acme/personal-access-tokens')).toEqual([
      500, 200, 200,
    ]);
    expect(await backend.credentials()).toEqual(EVERYTHING);
  });

  it('keeps the last good credentials of an organisation that fails while the other updates', async () => {
    const backend = await backendReading(fake);
    expect((await backend.run()).body.status).toBe('ok');

    fake.org('acme').patGrants.splice(2, 1);
    fake
      .org('globex')
      .installations.push(
        installation({ id: 202, org: 'globex', appSlug: 'new-app', appId: 5 }),
      );
    fake.failOrg('globex', 404);
    expect((await backend.run()).body.status).toBe('ok');
    expect(await backend.credentials()).toEqual(
      EVERYTHING.filter(c => !c.includes(' 9003 ')),
    );
    const scopes = (await backend.health()).runs[0].scopes;
    expect(scopes).toEqual([
      { scope: 'acme', status: 'ok', credentials: 5 },
      {
        scope: 'globex',
        status: 'failed',
        credentials: 2,
        error:
          'GitHub answered 404 Not Found to GET /orgs/globex/personal-access-tokens: there is no organisation globex on github.com, or the credentials cannot see it',
        keptFrom: expect.any(String),
      },
    ]);
  });

  it('names the permission GitHub says is missing', async () => {
    const backend = await backendReading(fake);
    fake.denyPermission(
      '/orgs/globex/personal-access-tokens',
      'organization_personal_access_tokens=read',
    );
    expect((await backend.run()).body.status).toBe('ok');
    const [acme, globex] = (await backend.health()).runs[0].scopes;
    expect(acme.status).toBe('ok');
    expect(globex.error).toBe(
      'GitHub answered 403 Resource not accessible by integration to GET /orgs/globex/personal-access-tokens: the credentials need the permission organization_personal_access_tokens=read',
    );
  });

  it('says plainly that GitHub refused a revoked token, without the token', async () => {
    const backend = await backendReading(fake);
    expect((await backend.run()).body.status).toBe('ok');
    fake.revokeToken();
    expect((await backend.run()).body.status).toBe('failed');
    const health = await backend.health();
    expect(health.lastError).toBe(
      'github-orgs: GitHub refused the credentials (401 Bad credentials); the token may have been revoked or expired: check integrations.github',
    );
    expect(JSON.stringify(health)).not.toContain(TOKEN);
    // Refused outright: not asked again, nor for the other organisation.
    expect(fake.requests.filter(r => r.status === 401)).toHaveLength(1);
    // The last good read stands.
    expect(await backend.credentials()).toEqual(EVERYTHING);
  });

  it('fails clearly when the integration has no credentials for the host', async () => {
    const without = await backendReading(fake, {}, {});
    expect((await without.run()).body.status).toBe('failed');
    expect((await without.health()).lastError).toBe(
      'github-orgs: the GitHub integration for github.com has no credentials: give integrations.github a token or a GitHub App (apps)',
    );
    const elsewhere = await backendReading(fake, { host: 'ghe.example.com' });
    expect((await elsewhere.run()).body.status).toBe('failed');
    expect((await elsewhere.health()).lastError).toBe(
      'github-orgs: there is no GitHub integration for ghe.example.com: add one under integrations.github in app-config',
    );
    expect(fake.requests).toEqual([]);
  });

  it('refuses settings that name no organisation, or a malformed one, naming the field', () => {
    const connector = githubConnector({
      integrations: {} as any,
      credentials: {} as any,
    });
    const check = (settings: object) =>
      connector
        .settingsSchema!.safeParse(settings)
        .error?.issues.map(i => `${i.path.join('.')}: ${i.message}`);
    expect(check({})).toEqual([
      'organizations: Invalid input: expected array, received undefined',
    ]);
    expect(check({ organizations: [] })).toEqual([
      'organizations: name at least one organisation',
    ]);
    expect(check({ organizations: ['https://github.com/acme'] })).toEqual([
      'organizations.0: must be a GitHub organisation login',
    ]);
    expect(
      check({ organizations: ['acme'], read: ['secrets'], org: 'acme' }),
    ).toEqual([
      'read.0: must be one of personal-access-tokens, app-installations',
      ': Unrecognized key: "org"',
    ]);
    expect(
      check({ organizations: ['acme'], host: 'https://ghe.example.com' }),
    ).toEqual([
      'host: must be a host name such as github.com or ghe.example.com',
    ]);
  });
});
