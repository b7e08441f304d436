import { parseGithubAppInstallations } from './githubAppInstallations';
import {
  chunked,
  collect,
  errorOf,
  fixtureStream,
  fixtureText,
  failureOn,
  parseEditedWithWarnings,
  parseWithWarnings,
  upstreamText,
} from './__testUtils__/parsing';

const FIXTURE = 'github-app-installations.json';

describe('parseGithubAppInstallations', () => {
  it('yields each installation with its permissions as scopes', async () => {
    const found = await collect(
      parseGithubAppInstallations(fixtureStream(FIXTURE)),
    );
    expect(found).toHaveLength(3);
    expect(found[1]).toEqual({
      provider: 'github',
      externalId: '48810277',
      kind: 'app-installation',
      principal: 'renovate',
      displayName: 'renovate (app 389114)',
      active: true,
      createdAt: '2023-05-02T14:00:12.000Z',
      scopes: [
        'repositories:selected',
        'checks:write',
        'contents:write',
        'metadata:read',
        'pull_requests:write',
        'workflows:write',
      ],
      disabledReason: undefined,
    });
  });

  it('marks a suspended installation inactive, saying when and by whom', async () => {
    const found = await collect(
      parseGithubAppInstallations(chunked(fixtureText(FIXTURE))),
    );
    expect(found[2]).toMatchObject({
      active: false,
      disabledReason: 'suspended 2025-06-18T12:00:00.000Z by secops-jane',
    });
  });

  it('refuses a list where the installations object was expected', async () => {
    expect(
      (await errorOf(parseGithubAppInstallations(chunked('[]')))).message,
    ).toBe(
      'github-app-installations $: must be an object whose "installations" is a list, not a list',
    );
  });
});

describe('parseGithubAppInstallations on the REST API example, and odd cells', () => {
  it('reads the documented installation', async () => {
    const { found, warnings } = await parseWithWarnings(
      parseGithubAppInstallations,
      upstreamText('github-app-installations/installation-paginated.json'),
    );
    expect(found).toEqual([
      {
        provider: 'github',
        externalId: '25381',
        kind: 'app-installation',
        principal: 'github-actions',
        displayName: 'github-actions (app 2218)',
        active: true,
        createdAt: '2017-05-16T15:47:09.000Z',
        scopes: [
          'repositories:selected',
          'deployments:write',
          'metadata:read',
          'pull_requests:read',
          'statuses:read',
        ],
        disabledReason: undefined,
      },
    ]);
    expect(warnings).toEqual([]);
  });

  it('reads a bad creation time as unknown, with a warning, and every other installation', async () => {
    const { found, warnings } = await parseEditedWithWarnings(
      parseGithubAppInstallations,
      FIXTURE,
      '"2024-08-19T10:22:31.000Z"',
      '"2024-13-45"',
    );
    expect(found).toHaveLength(3);
    expect(found[0].createdAt).toBeUndefined();
    expect(warnings).toEqual([
      {
        location: '$.installations[0]',
        field: 'created_at',
        reason: '"2024-13-45" is not an ISO 8601 timestamp: read as unknown',
      },
    ]);
  });

  it('still fails on an installation without its id, naming it', async () => {
    expect(
      await failureOn(
        parseGithubAppInstallations,
        FIXTURE,
        /"id": \d+,/,
        '"id": "one",',
      ),
    ).toBe(
      'github-app-installations $.installations[0].id: must be the installation id',
    );
  });
});
