import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { catalogModelExtensionPoint } from '@backstage/plugin-catalog-node/alpha';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { MachineIdentityEntitiesProcessor } from './processor/MachineIdentityEntitiesProcessor';
import { createSecretRedactingParser } from './parser/secretRedactingParser';

/**
 * Teaches the catalog the MachineIdentity kind, and announces new and changed identities on the
 * events service (topic `nhi.catalog.changed`) so that the nhi backend refreshes within seconds.
 *
 * It also sets the catalog's entity data parser (there can be only one) to one that takes a
 * MachineIdentity's secrets out as a file is read, before the catalog stores anything: the
 * processor then refuses the identity for the marker left in the secret's place.
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
        model: catalogModelExtensionPoint,
        events: eventsServiceRef,
        logger: coreServices.logger,
      },
      async init({ catalog, model, events, logger }) {
        model.setEntityDataParser(createSecretRedactingParser());
        catalog.addProcessor(
          new MachineIdentityEntitiesProcessor({ events, logger }),
        );
        logger.info('MachineIdentity kind registered with the catalog');
      },
    });
  },
});
