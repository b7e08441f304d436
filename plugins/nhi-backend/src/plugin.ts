import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  nhiDiscoveryExtensionPoint,
  nhiFindingRulesExtensionPoint,
} from '@nhi-governance/plugin-nhi-node';
import { refuseSecretsInConfig } from './config/refuseSecretsInConfig';
import { createStores } from './wiring/createStores';
import { applyDatabaseMigrations } from './database/migrations';
import { DiscoveryService } from './discovery/DiscoveryService';
import { SourceFormatRegistry } from './discovery/sourceFormats';
import { readDiscoverySources } from './discovery/sourceSettings';
import { FindingRuleRegistry } from './engine';
import { EvidenceService } from './evidence/EvidenceService';
import { subscribeToEventsTopic } from './events/topic/subscribeToEventsTopic';
import { readCheckpointSettings } from './ledger/checkpoints/checkpointSettings';
import { createCheckpoints } from './wiring/createCheckpoints';
import { IdentityReadAuthorizer } from './permissions/authorizeIdentityRead';
import { identityResourceRef } from './permissions/identityResource';
import { readPolicy } from './policy/readPolicy';
import { readReviewSettings } from './reviews';
import { createRouter } from './service/router';
import { createServices } from './wiring/createServices';
import { registerIdentityResource } from './wiring/registerIdentityResource';
import { scheduleJobs } from './wiring/scheduleJobs';

const deps = {
  auth: coreServices.auth,
  catalog: catalogServiceRef,
  config: coreServices.rootConfig,
  database: coreServices.database,
  events: eventsServiceRef,
  httpAuth: coreServices.httpAuth,
  httpRouter: coreServices.httpRouter,
  lifecycle: coreServices.lifecycle,
  permissions: coreServices.permissions,
  permissionsRegistry: coreServices.permissionsRegistry,
  logger: coreServices.logger,
  scheduler: coreServices.scheduler,
  userInfo: coreServices.userInfo,
  urlReader: coreServices.urlReader,
  notifications: notificationService,
};

/**
 * The machine-identity governance backend, served under `/api/nhi`.
 * Wiring only: dependencies in, router, scheduled jobs and catalog-change listener out.
 *
 * @public
 */
export const nhiPlugin = createBackendPlugin({
  pluginId: 'nhi',
  register(env) {
    // Modules add formats and finding rules here before init; the built-ins come through the
    // same door.
    const formats = SourceFormatRegistry.withBuiltIns();
    const findingRules = FindingRuleRegistry.withBuiltIns();
    env.registerExtensionPoint(nhiDiscoveryExtensionPoint, {
      addSourceFormat: format => formats.addSourceFormat(format),
      addConnector: connector => formats.addConnector(connector),
    });
    env.registerExtensionPoint(nhiFindingRulesExtensionPoint, {
      addFindingRule: rule => findingRules.addFindingRule(rule),
    });
    env.registerInit({
      deps,
      async init(services) {
        const { config, database, logger, permissions, httpRouter } = services;
        // A bad policy stops start-up: better than measuring identities against the wrong rule.
        await refuseSecretsInConfig(config);
        const policy = readPolicy(config);
        const reviewSettings = readReviewSettings(config);
        // Connectors a module added log as the plugin does.
        formats.useLogger(logger);
        const discoverySources = readDiscoverySources(config, formats);
        // Production refuses to start without a signing key, before anything is written.
        const signing = readCheckpointSettings(config);
        const knex = await database.getClient();
        if (!database.migrations?.skip) {
          await applyDatabaseMigrations(knex);
        }
        const stores = createStores(knex, { logger });
        registerIdentityResource(services.permissionsRegistry, stores);

        const nhi = createServices({
          ...services,
          stores,
          policy,
          reviewSettings,
          discoverySources,
          formats,
          findingRules,
        });
        const checkpoints = createCheckpoints(signing, stores, services);
        await scheduleJobs(
          { ...services, discoverySources, checkpoints: checkpoints.schedule },
          nhi,
        );
        await subscribeToEventsTopic(services, nhi);

        httpRouter.use(
          await createRouter({
            ...nhi,
            stores,
            httpAuth: services.httpAuth,
            permissions,
            userInfo: services.userInfo,
            identityRead: new IdentityReadAuthorizer(
              permissions,
              services.permissionsRegistry.getPermissionRuleset(
                identityResourceRef,
              ),
            ),
            evidence: new EvidenceService(
              stores,
              policy,
              nhi.flights,
              checkpoints.signer,
            ),
            ledger: checkpoints.ledger,
            discovery: new DiscoveryService(stores, {
              sources: discoverySources,
              runner: nhi.discovery,
            }),
            logger,
          }),
        );
        // Load balancers and uptime checks probe health without credentials.
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
