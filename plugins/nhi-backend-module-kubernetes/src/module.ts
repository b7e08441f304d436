import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { nhiDiscoveryExtensionPoint } from '@nhi-governance/plugin-nhi-node';
import { kubernetesConnector } from './kubernetes/kubernetesConnector';

/**
 * Adds the `kubernetes` discovery connector to the `nhi` backend plugin, reading the clusters
 * configured for Backstage's Kubernetes plugin.
 *
 * @public
 */
export const nhiModuleKubernetes = createBackendModule({
  pluginId: 'nhi',
  moduleId: 'kubernetes',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        discovery: nhiDiscoveryExtensionPoint,
      },
      async init({ config, discovery }) {
        discovery.addConnector(kubernetesConnector({ config }));
      },
    });
  },
});
