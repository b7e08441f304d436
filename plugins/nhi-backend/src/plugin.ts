import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { createRouter } from './service/router';

/**
 * The machine-identity governance backend, served under `/api/nhi`.
 * Wiring only: dependencies in, router out.
 *
 * @public
 */
export const nhiPlugin = createBackendPlugin({
  pluginId: 'nhi',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
      },
      async init({ httpRouter, logger }) {
        httpRouter.use(await createRouter());
        // Load balancers and uptime checks probe health without credentials.
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        logger.info('Machine identity governance backend ready');
      },
    });
  },
});
