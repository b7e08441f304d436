import { z } from 'zod';
import type { DiscoveredCredential } from '@nhi-governance/plugin-nhi-common';
import { parseItem, streamJsonArray } from './json';
import { SourceInput } from './stream';
import { oneOf, optionalTimestamp, scopesOf, timestamp } from './values';

const SOURCE = 'github-app-installations';

/** One installation of `GET /orgs/{org}/installations`. */
const installationSchema = z.object({
  id: z.number({ error: 'must be the installation id' }),
  app_id: z.number({ error: 'must be the app id' }),
  app_slug: z.string({ error: 'must be the app slug' }),
  target_type: oneOf(['Organization', 'User', 'Enterprise']),
  repository_selection: oneOf(['all', 'selected']),
  permissions: z.record(
    z.string(),
    z.string({ error: 'must be a permission level' }),
  ),
  created_at: timestamp(),
  suspended_at: optionalTimestamp(),
  suspended_by: z
    .object({ login: z.string() })
    .nullish()
    .transform(v => v ?? undefined),
});

/**
 * Reads the GitHub App installations of an organisation (`{ total_count, installations }`,
 * one page or `gh api --paginate` output). An installation is a credential: the app mints
 * tokens with its permissions whenever it likes. A suspended one can mint none.
 */
export async function* parseGithubAppInstallations(
  input: SourceInput,
): AsyncGenerator<DiscoveredCredential> {
  for await (const item of streamJsonArray(input, SOURCE, ['installations'])) {
    const installation = parseItem(installationSchema, item, SOURCE);
    const suspended = installation.suspended_at;
    yield {
      provider: 'github',
      externalId: String(installation.id),
      kind: 'app-installation',
      principal: installation.app_slug,
      displayName: `${installation.app_slug} (app ${installation.app_id})`,
      active: !suspended,
      createdAt: installation.created_at,
      scopes: [
        `repositories:${installation.repository_selection}`,
        ...scopesOf(installation.permissions),
      ],
      disabledReason: suspended
        ? `suspended ${suspended}${
            installation.suspended_by
              ? ` by ${installation.suspended_by.login}`
              : ''
          }`
        : undefined,
    };
  }
}
