import { z } from 'zod';
import type { DiscoveredCredential } from '@nhi-governance/plugin-nhi-common';
import { streamJsonArray } from './json';
import { parseLenient } from './lenient';
import { ignoreWarnings, WarnFn } from './SourceWarning';
import { SourceInput } from './stream';
import { oneOf, optionalTimestamp, scopesOf } from './values';

const SOURCE = 'github-app-installations';

/**
 * One installation of `GET /orgs/{org}/installations`. The installation id and the app's slug
 * name it; anything else unreadable is unknown.
 */
const installationSchema = z.object({
  id: z.number({ error: 'must be the installation id' }),
  app_id: z.number({ error: 'must be the app id' }).optional(),
  app_slug: z.string({ error: 'must be the app slug' }),
  target_type: oneOf(['Organization', 'User', 'Enterprise']).optional(),
  repository_selection: oneOf(['all', 'selected']).optional(),
  permissions: z
    .record(z.string(), z.string({ error: 'must be a permission level' }))
    .optional(),
  created_at: optionalTimestamp(),
  suspended_at: optionalTimestamp(),
  suspended_by: z
    .object({ login: z.string({ error: 'must be a login' }) })
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
  warn: WarnFn = ignoreWarnings,
): AsyncGenerator<DiscoveredCredential> {
  for await (const item of streamJsonArray(input, SOURCE, ['installations'])) {
    const installation = parseLenient(installationSchema, item, SOURCE, warn);
    // A suspension whose date cannot be read is a suspension still.
    const suspendedAt = (item.value as { suspended_at?: unknown }).suspended_at;
    const suspended =
      installation.suspended_at ??
      (suspendedAt ? 'on an unknown date' : undefined);
    yield {
      provider: 'github',
      externalId: String(installation.id),
      kind: 'app-installation',
      principal: installation.app_slug,
      displayName:
        installation.app_id === undefined
          ? installation.app_slug
          : `${installation.app_slug} (app ${installation.app_id})`,
      active: !suspended,
      createdAt: installation.created_at,
      scopes: [
        ...(installation.repository_selection
          ? [`repositories:${installation.repository_selection}`]
          : []),
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
