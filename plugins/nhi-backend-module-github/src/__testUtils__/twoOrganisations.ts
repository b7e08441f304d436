import { installation, patGrant, startFakeGithub } from './fakeGithub';

/** The token the fake GitHub accepts: made up, it works nowhere else. */
export const TOKEN = 'not-a-real-token-only-the-local-fake-takes-it';

/** Two organisations; acme has two pages of each list. */
export const startGithub = () =>
  startFakeGithub({
    token: TOKEN,
    organizations: [
      {
        login: 'acme',
        patGrants: [
          patGrant({
            id: 1,
            owner: 'deploy-bot',
            tokenId: 9001,
            tokenName: 'release pipeline',
            lastUsedAt: '2025-01-10T12:00:00Z',
          }),
          patGrant({
            id: 2,
            owner: 'octocat',
            tokenId: 9002,
            tokenName: 'laptop',
            expired: true,
          }),
          patGrant({ id: 3, owner: 'ci', tokenId: 9003, tokenName: 'nightly' }),
        ],
        installations: [
          installation({ id: 101, org: 'acme', appSlug: 'renovate', appId: 1 }),
          installation({ id: 102, org: 'acme', appSlug: 'sentry', appId: 2 }),
          installation({
            id: 103,
            org: 'acme',
            appSlug: 'old-ci',
            appId: 3,
            suspendedBy: 'octocat',
          }),
        ],
      },
      {
        login: 'globex',
        patGrants: [
          patGrant({ id: 4, owner: 'sync', tokenId: 9101, tokenName: 'sync' }),
        ],
        installations: [
          installation({ id: 201, org: 'globex', appSlug: 'slack', appId: 4 }),
        ],
      },
    ],
  });

/** Every credential of both organisations: `scope kind principal externalId state`. */
export const EVERYTHING = [
  'acme personal-access-token deploy-bot 9001 active',
  'acme personal-access-token octocat 9002 inactive',
  'acme personal-access-token ci 9003 active',
  'acme app-installation renovate 101 active',
  'acme app-installation sentry 102 active',
  'acme app-installation old-ci 103 inactive',
  'globex personal-access-token sync 9101 active',
  'globex app-installation slack 201 active',
].sort();
