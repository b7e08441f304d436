import { z } from 'zod';
import type { DiscoveredCredential } from '@nhi-governance/plugin-nhi-common';
import { streamJsonArray } from './json';
import { parseLenient } from './lenient';
import { ignoreWarnings, WarnFn } from './SourceWarning';
import { SourceInput } from './stream';
import { oneOf, optionalText, optionalTimestamp, scopesOf } from './values';

const SOURCE = 'github-personal-access-tokens';

const permissionMap = z
  .record(z.string(), z.string({ error: 'must be a permission level' }))
  .optional();

/**
 * A fine-grained token granted to the organisation (`GET /orgs/{org}/personal-access-tokens`).
 * The grant id and the owner name it; anything else unreadable is unknown.
 */
const grantSchema = z.object({
  id: z.number({ error: 'must be the grant id' }),
  owner: z.object({ login: z.string({ error: 'must be a login' }) }),
  repository_selection: oneOf(['none', 'all', 'subset']).optional(),
  permissions: z
    .object({
      organization: permissionMap,
      repository: permissionMap,
      other: permissionMap,
    })
    .optional(),
  access_granted_at: optionalTimestamp(),
  // Older GitHub Enterprise Server versions do not name the token itself.
  token_id: z.number({ error: 'must be the token id' }).optional(),
  token_name: optionalText(),
  token_expired: z.boolean({ error: 'must be true or false' }).optional(),
  token_expires_at: optionalTimestamp(),
  token_last_used_at: optionalTimestamp(),
});

/**
 * Reads the fine-grained personal access tokens that have access to an organisation, as the
 * REST API lists them (one page, or `gh api --paginate` output). A token is named by its
 * token id; where the server does not give one, by the grant id, prefixed `grant-`.
 */
export async function* parseGithubPersonalAccessTokens(
  input: SourceInput,
  warn: WarnFn = ignoreWarnings,
): AsyncGenerator<DiscoveredCredential> {
  for await (const item of streamJsonArray(input, SOURCE)) {
    const grant = parseLenient(grantSchema, item, SOURCE, warn);
    const { organization, repository, other } = grant.permissions ?? {};
    yield {
      provider: 'github',
      externalId: String(grant.token_id ?? `grant-${grant.id}`),
      kind: 'personal-access-token',
      principal: grant.owner.login,
      displayName: grant.token_name
        ? `${grant.owner.login}: ${grant.token_name}`
        : grant.owner.login,
      active: !grant.token_expired,
      // When the organisation let the token in: the closest the API comes to its creation.
      createdAt: grant.access_granted_at,
      expiresAt: grant.token_expires_at,
      lastUsedAt: grant.token_last_used_at,
      scopes: [
        ...(grant.repository_selection
          ? [`repositories:${grant.repository_selection}`]
          : []),
        ...scopesOf(organization, 'organization:'),
        ...scopesOf(repository, 'repository:'),
        ...scopesOf(other, 'other:'),
      ],
      disabledReason: grant.token_expired ? 'token expired' : undefined,
    };
  }
}
