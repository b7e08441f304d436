import { parseGithubAppInstallations } from './githubAppInstallations';
import {
  chunked,
  collect,
  errorOf,
  fixtureStream,
  fixtureText,
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
