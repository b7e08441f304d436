import type {
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import type { NhiConnector } from '@nhi-governance/plugin-nhi-node';
import { githubClient } from './githubClient';
import {
  githubIntegrationFor,
  organizationAccess,
  OrganizationAccess,
} from './githubCredentials';
import { describeGithubError, refusedCredentials } from './githubErrors';
import { readList, requestOf } from './readOrganization';
import { DEFAULT_RETRY_POLICY } from './retry';
import { githubSettings, GithubSettings } from './settings';

export const GITHUB_CONNECTOR = 'github';

/**
 * The `github` connector: each organisation's fine-grained personal access token grants and
 * GitHub App installations, read through Octokit with the credentials of Backstage's GitHub
 * integration. An organisation that cannot be read keeps its last good credentials and shows
 * its error on the Discovery tab; the others are read as usual. Credentials GitHub refuses
 * outright (401) fail the whole run: with one shared token, no organisation could be read.
 */
export function githubConnector(options: {
  integrations: ScmIntegrationRegistry;
  credentials: GithubCredentialsProvider;
}): NhiConnector {
  return {
    id: GITHUB_CONNECTOR,
    kind: 'credentials',
    provider: 'github',
    // Token grants say when each token was last used; installations are marked unknown.
    reportsUsage: true,
    settingsSchema: githubSettings,
    // A few requests per organisation: cheap against GitHub's 5,000 an hour, so a revoked
    // grant leaves the list the same working day.
    defaultSchedule: { frequency: { hours: 4 }, timeout: { minutes: 30 } },
    async *read(read) {
      const settings = read.settings as GithubSettings;
      const { host } = settings;
      githubIntegrationFor(options.integrations, host);
      for (const org of new Set(settings.organizations)) {
        let access: OrganizationAccess | undefined;
        let list = settings.read[0];
        try {
          access = await organizationAccess(
            options.credentials,
            options.integrations,
            host,
            org,
          );
          const octokit = githubClient({
            baseUrl: access.apiBaseUrl,
            token: access.token,
            signal: read.signal,
            logger: read.logger,
            retry: DEFAULT_RETRY_POLICY,
          });
          for (list of settings.read) {
            yield* readList(octokit, org, list, read);
          }
          read.scopes.read(org);
        } catch (e) {
          if (read.signal.aborted) throw e;
          const error = access
            ? describeGithubError(e, {
                org,
                list,
                host,
                request: requestOf(list, org),
              })
            : (e as Error).message;
          if (access?.type === 'token' && refusedCredentials(e)) {
            throw new Error(error);
          }
          read.logger.warn(`GitHub organisation ${org} was not read`, {
            error,
          });
          read.scopes.failed(org, new Error(error));
        }
      }
    },
  };
}
