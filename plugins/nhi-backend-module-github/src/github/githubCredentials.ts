import type {
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';

/** Where and how one organisation is read. */
export interface OrganizationAccess {
  apiBaseUrl: string;
  token: string;
  /** `app`: an installation token minted for this organisation; `token`: the one shared token. */
  type: 'app' | 'token';
}

/**
 * The integration for `host`, checked before any organisation is read: without one, or with
 * neither a token nor a GitHub App, nothing could be read and the run fails saying so.
 */
export function githubIntegrationFor(
  integrations: ScmIntegrationRegistry,
  host: string,
) {
  const integration = integrations.github.byHost(host);
  if (!integration) {
    throw new Error(
      `there is no GitHub integration for ${host}: add one under integrations.github in app-config`,
    );
  }
  const { token, apps } = integration.config;
  if (!token && !apps?.length) {
    throw new Error(
      `the GitHub integration for ${host} has no credentials: give integrations.github a token or a GitHub App (apps)`,
    );
  }
  return integration;
}

/**
 * The credentials for one organisation: with a GitHub App, the installation token for that
 * organisation (Backstage mints and caches it); otherwise the integration's token.
 */
export async function organizationAccess(
  provider: GithubCredentialsProvider,
  integrations: ScmIntegrationRegistry,
  host: string,
  org: string,
): Promise<OrganizationAccess> {
  const integration = githubIntegrationFor(integrations, host);
  const credentials = await provider.getCredentials({
    url: `https://${host}/${encodeURIComponent(org)}`,
  });
  if (!credentials.token) {
    throw new Error(
      `the GitHub integration for ${host} has no credentials for ${org}: install its GitHub App in ${org}, or give it a token`,
    );
  }
  return {
    apiBaseUrl:
      integration.config.apiBaseUrl ??
      (host === 'github.com'
        ? 'https://api.github.com'
        : `https://${host}/api/v3`),
    token: credentials.token,
    type: credentials.type === 'app' ? 'app' : 'token',
  };
}
