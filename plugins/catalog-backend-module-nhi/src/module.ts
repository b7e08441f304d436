import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { MachineIdentityEntitiesProcessor } from './processor/MachineIdentityEntitiesProcessor';

/**
 * Teaches the catalog the MachineIdentity kind.
 *
 * @public
 */
export const catalogModuleMachineIdentity = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'nhi',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        logger: coreServices.logger,
      },
      async init({ catalog, logger }) {
        catalog.addProcessor(new MachineIdentityEntitiesProcessor());
        logger.info('MachineIdentity kind registered with the catalog');
      },
    });
  },
});
