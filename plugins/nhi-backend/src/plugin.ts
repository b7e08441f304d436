import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { DateTime } from 'luxon';
import { readCatalogSnapshot } from './catalog/readCatalogSnapshot';
import { applyDatabaseMigrations } from './database/migrations';
import { IdentityRegistry } from './identities/IdentityRegistry';
import { readPolicy } from './policy/readPolicy';
import { createRouter } from './service/router';
import { StatusRecomputer } from './status/StatusRecomputer';

/**
 * The machine-identity governance backend, served under `/api/nhi`.
 * Wiring only: dependencies in, router and scheduled refresh out.
 *
 * @public
 */
export const nhiPlugin = createBackendPlugin({
  pluginId: 'nhi',
  register(env) {
    env.registerInit({
      deps: {
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
      },
      async init({
        auth,
        catalog,
        config,
        database,
        httpRouter,
        logger,
        scheduler,
      }) {
        // A bad policy stops start-up: better than measuring identities against the wrong rule.
        const policy = readPolicy(config);
        const knex = await database.getClient();
        if (!database.migrations?.skip) {
          await applyDatabaseMigrations(knex);
        }
        const registry = new IdentityRegistry(knex);
        const recomputer = new StatusRecomputer(knex, policy);

        await scheduler.scheduleTask({
          id: 'nhi-refresh',
          frequency: { minutes: 10 },
          timeout: { minutes: 15 },
          initialDelay: { seconds: 5 },
          fn: async () => {
            const now = DateTime.utc();
            const snapshot = await readCatalogSnapshot(
              catalog,
              await auth.getOwnServiceCredentials(),
            );
            const synced = await registry.applySnapshot(
              'catalog',
              snapshot.records,
              now.toISO(),
            );
            const computed = await recomputer.recompute(snapshot.context, now);
            logger.info('Machine identities refreshed', {
              ...synced,
              ...computed,
            });
          },
        });

        httpRouter.use(await createRouter({ knex }));
        // Load balancers and uptime checks probe health without credentials.
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
