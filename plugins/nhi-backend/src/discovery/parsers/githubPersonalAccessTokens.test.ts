import { parseGithubPersonalAccessTokens } from './githubPersonalAccessTokens';
import {
  chunked,
  collect,
  failureOn,
  fixtureStream,
  fixtureText,
  parseEditedWithWarnings,
  parseWithWarnings,
  upstreamText,
} from './__testUtils__/parsing';

const FIXTURE = 'github-personal-access-tokens.json';

describe('parseGithubPersonalAccessTokens', () => {
  it('yields each token by its token id, with its permissions as scopes', async () => {
    const [sync] = await collect(
      parseGithubPersonalAccessTokens(fixtureStream(FIXTURE)),
    );
    expect(sync).toEqual({
      provider: 'github',
      externalId: '3907612',
      kind: 'personal-access-token',
      principal: 'octo-deploy-bot',
      displayName: 'octo-deploy-bot: gitops-sync',
      active: true,
      createdAt: '2026-01-12T15:04:33.000Z',
      expiresAt: '2026-07-11T15:04:33.000Z',
      lastUsedAt: '2026-05-07T06:55:10.000Z',
      scopes: [
        'repositories:subset',
        'repository:contents:write',
        'repository:metadata:read',
        'repository:pull_requests:write',
      ],
      disabledReason: undefined,
    });
  });

  it('marks an expired token inactive and reads null dates as never', async () => {
    const [, expired, noExpiry] = await collect(
      parseGithubPersonalAccessTokens(chunked(fixtureText(FIXTURE))),
    );
    expect(expired).toMatchObject({
      active: false,
      disabledReason: 'token expired',
      lastUsedAt: undefined,
      scopes: [
        'repositories:all',
        'organization:members:read',
        'organization:administration:write',
        'repository:metadata:read',
        'repository:actions:write',
      ],
    });
    expect(noExpiry).toMatchObject({ active: true, expiresAt: undefined });
  });

  it('reads the pages that gh api --paginate prints one after the other', async () => {
    const page = fixtureText(FIXTURE);
    const found = await collect(
      parseGithubPersonalAccessTokens(chunked(`${page}${page}`)),
    );
    expect(found).toHaveLength(6);
  });

  it('reads an unknown repository selection as unknown, with a warning naming the grant', async () => {
    const { found, warnings } = await parseEditedWithWarnings(
      parseGithubPersonalAccessTokens,
      FIXTURE,
      '"subset"',
      '"selected"',
    );
    expect(found).toHaveLength(3);
    expect(found[0].scopes).not.toContainEqual(
      expect.stringMatching(/^repositories:/),
    );
    expect(found[1].scopes).toContain('repositories:all');
    expect(warnings).toEqual([
      {
        location: '$[0]',
        field: 'repository_selection',
        reason: '"selected" is not one of none, all, subset: read as unknown',
      },
    ]);
  });

  it('still fails on a grant without its owner, naming the field', async () => {
    expect(
      await failureOn(
        parseGithubPersonalAccessTokens,
        FIXTURE,
        /"login": "[^"]*"/,
        '"login": 7',
      ),
    ).toBe('github-personal-access-tokens $[0].owner.login: must be a login');
  });
});

describe('parseGithubPersonalAccessTokens on the REST API example', () => {
  it('reads the documented grant, with its offset times in UTC', async () => {
    const { found, warnings } = await parseWithWarnings(
      parseGithubPersonalAccessTokens,
      upstreamText(
        'github-personal-access-tokens/org-pat-grant-paginated.json',
      ),
    );
    expect(found).toEqual([
      {
        provider: 'github',
        externalId: '98716',
        kind: 'personal-access-token',
        principal: 'octocat',
        displayName: 'octocat: Some Token',
        active: true,
        createdAt: '2023-05-16T15:47:09.000Z',
        expiresAt: '2023-11-16T15:47:09.000Z',
        lastUsedAt: undefined,
        scopes: [
          'repositories:all',
          'organization:members:read',
          'repository:metadata:read',
        ],
        disabledReason: undefined,
      },
    ]);
    expect(warnings).toEqual([]);
  });
});
