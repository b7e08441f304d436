import { readFileSync } from 'fs';
import { resolve } from 'path';

/**
 * The records the fake GitHub answers with, each a copy of the example GitHub's OpenAPI
 * description gives for its endpoint (kept with their origin in the nhi-backend package's
 * upstream fixtures), with only the fields a test names changed.
 */

const UPSTREAM = resolve(
  __dirname,
  '../../../nhi-backend/src/discovery/__fixtures__/upstream',
);

const read = (file: string) =>
  JSON.parse(readFileSync(resolve(UPSTREAM, file), 'utf8'));

const PAT_GRANT = read(
  'github-personal-access-tokens/org-pat-grant-paginated.json',
)[0];
const INSTALLATION = read(
  'github-app-installations/installation-paginated.json',
).installations[0];

/** A fine-grained token granted to the organisation, as `GET /orgs/{org}/personal-access-tokens` lists it. */
export function upstreamPatGrant(grant: {
  id: number;
  owner: string;
  tokenId: number;
  tokenName: string;
  expired?: boolean;
  lastUsedAt?: string | null;
}): object {
  return {
    ...PAT_GRANT,
    id: grant.id,
    owner: { ...PAT_GRANT.owner, login: grant.owner },
    repositories_url: PAT_GRANT.repositories_url.replace(
      /\/\d+\/repositories$/,
      `/${grant.id}/repositories`,
    ),
    token_id: grant.tokenId,
    token_name: grant.tokenName,
    token_expired: grant.expired ?? false,
    token_last_used_at: grant.lastUsedAt ?? null,
  };
}

/** An app installation, as `GET /orgs/{org}/installations` lists it. */
export function upstreamInstallation(installation: {
  id: number;
  org: string;
  appSlug: string;
  appId: number;
  suspendedBy?: string;
}): object {
  return {
    ...INSTALLATION,
    id: installation.id,
    account: { ...INSTALLATION.account, login: installation.org },
    access_tokens_url: `https://api.github.com/app/installations/${installation.id}/access_tokens`,
    html_url: `https://github.com/organizations/${installation.org}/settings/installations/${installation.id}`,
    app_id: installation.appId,
    app_slug: installation.appSlug,
    ...(installation.suspendedBy
      ? {
          suspended_at: '2024-02-01T10:00:00Z',
          suspended_by: {
            ...PAT_GRANT.owner,
            login: installation.suspendedBy,
          },
        }
      : {}),
  };
}
