import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { MachineIdentityEntitiesProcessor } from './processor/MachineIdentityEntitiesProcessor';

/**
 * Teaches the catalog the MachineIdentity kind, and announces new and changed identities on the
 * events service (topic `nhi.catalog.changed`) so that the nhi backend refreshes within seconds.
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
        events: eventsServiceRef,
        logger: coreServices.logger,
      },
      async init({ catalog, events, logger }) {
        catalog.addProcessor(
          new MachineIdentityEntitiesProcessor({ events, logger }),
        );
        logger.info('MachineIdentity kind registered with the catalog');
      },
    });
  },
});
