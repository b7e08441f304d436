import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { nhiDiscoveryExtensionPoint } from '@nhi-governance/plugin-nhi-node';
import { githubConnector } from './github/githubConnector';

/**
 * Adds the `github` discovery connector to the `nhi` backend plugin, with credentials from
 * the `integrations.github` config (a token, or GitHub Apps).
 *
 * @public
 */
export const nhiModuleGithub = createBackendModule({
  pluginId: 'nhi',
  moduleId: 'github',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        discovery: nhiDiscoveryExtensionPoint,
      },
      async init({ config, discovery }) {
        const integrations = ScmIntegrations.fromConfig(config);
        discovery.addConnector(
          githubConnector({
            integrations,
            credentials:
              DefaultGithubCredentialsProvider.fromIntegrations(integrations),
          }),
        );
      },
    });
  },
});
