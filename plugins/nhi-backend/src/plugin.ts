import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { DateTime } from 'luxon';
import {
  ReviewNotifier,
  createReviewServices,
  readReviewSettings,
} from './reviews';
import { applyDatabaseMigrations } from './database/migrations';
import { createStores } from './createStores';
import { IdentityRegistry } from './identities/IdentityRegistry';
import { readPolicy } from './policy/readPolicy';
import { refuseSecretsInConfig } from './config/refuseSecretsInConfig';
import { createRouter } from './service/router';
import { StatusRecomputer } from './status/StatusRecomputer';
import { Refresher } from './status/Refresher';
import {
  CatalogChangeListener,
  readCatalogChangeDebounceMs,
} from './status/CatalogChangeListener';
import { EventIngestor } from './events/EventIngestor';
import { EvidenceService } from './evidence/EvidenceService';
import { nhiPermissions } from '@nhi-governance/plugin-nhi-common';
import { toView } from './identities/toView';
import { DiscoveryService } from './discovery/DiscoveryService';
import { SourceRunner } from './discovery/SourceRunner';
import { UsageAnalyzer } from './anomalies/UsageAnalyzer';
import { readDiscoverySources } from './discovery/sourceSettings';
import { SourceFormatRegistry } from './discovery/sourceFormats';
import { FindingRuleRegistry } from './engine';
import {
  nhiDiscoveryExtensionPoint,
  nhiFindingRulesExtensionPoint,
} from '@nhi-governance/plugin-nhi-node';

import { IdentityReadAuthorizer } from './permissions/authorizeIdentityRead';
import {
  identityPermissionRules,
  identityResourceRef,
} from './permissions/identityResource';

/**
 * The machine-identity governance backend, served under `/api/nhi`.
 * Wiring only: dependencies in, router, scheduled refresh and catalog-change listener out.
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
      deps: {
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
      },
      async init({
        auth,
        catalog,
        config,
        database,
        events,
        httpAuth,
        httpRouter,
        lifecycle,
        logger,
        permissions,
        permissionsRegistry,
        scheduler,
        userInfo,
        urlReader,
        notifications,
      }) {
        // A bad policy stops start-up: better than measuring identities against the wrong rule.
        await refuseSecretsInConfig(config);
        const policy = readPolicy(config);
        const reviewSettings = readReviewSettings(config);
        // Connectors a module added log as the plugin does.
        formats.useLogger(logger);
        const discoverySources = readDiscoverySources(config, formats);
        const knex = await database.getClient();
        if (!database.migrations?.skip) {
          await applyDatabaseMigrations(knex);
        }
        const stores = createStores(knex);
        permissionsRegistry.addResourceType({
          resourceRef: identityResourceRef,
          permissions: nhiPermissions,
          rules: Object.values(identityPermissionRules),
          getResources: async refs =>
            Promise.all(
              refs.map(async ref => {
                const stored = await stores.identities.readIdentity(ref);
                return stored ? toView(stored) : undefined;
              }),
            ),
        });

        const ingestor = new EventIngestor(stores);
        // Each discovery source on its own schedule; a run reads the whole file or keeps the
        // source's last good state. What it changes is recomputed at once.
        let recomputeAfterRead: Refresher['refreshIdentities'] = async () => {};
        const discovery = new SourceRunner(stores, {
          urlReader,
          logger,
          ingestor,
          formats,
          recompute: (refs, options) => recomputeAfterRead(refs, options),
        });
        const refresher = new Refresher({
          auth,
          catalog,
          logger,
          stores,
          registry: new IdentityRegistry(stores),
          recomputer: new StatusRecomputer(stores, policy, findingRules),
          // A newly declared identity claims what a source had found undeclared.
          afterCatalogChange: async () => {
            await discovery.reconcileAll(discoverySources);
          },
          usageAnalyzer: new UsageAnalyzer(stores, policy),
        });
        recomputeAfterRead = (refs, options) =>
          refresher.refreshIdentities(refs, options);

        await scheduler.scheduleTask({
          id: 'nhi-refresh',
          frequency: { minutes: 10 },
          timeout: { minutes: 15 },
          initialDelay: { seconds: 5 },
          fn: () => refresher.refreshAll(),
        });

        // A changed identity in the catalog runs the same task early. Through the scheduler,
        // it never overlaps a scheduled run, on this replica or another.
        const catalogChanges = new CatalogChangeListener({
          refresh: () => scheduler.triggerTask('nhi-refresh'),
          logger,
          debounceMs: readCatalogChangeDebounceMs(config),
        });
        await catalogChanges.subscribe(events);
        lifecycle.addShutdownHook(() => catalogChanges.stop());

        const reviews = createReviewServices({
          stores,
          policy,
          settings: reviewSettings,
          notifier: new ReviewNotifier(notifications, catalog, auth, logger),
          queueIdentities: refs => refresher.queueIdentities(refs),
        });
        // Starts the campaign of each new period, handles overdue items, reminders, expiring
        // exceptions and finished remediation. Global scope: one replica at a time.
        await scheduler.scheduleTask({
          id: 'nhi-reviews',
          frequency: { minutes: 15 },
          timeout: { minutes: 15 },
          initialDelay: { minutes: 1 },
          fn: async () => {
            await reviews.sweeper.run(DateTime.utc());
          },
        });

        // Global scope: one replica reads a source at a time.
        await discovery.register(discoverySources);
        for (const source of discoverySources) {
          await scheduler.scheduleTask({
            id: `nhi-discovery-${source.id}`,
            frequency: source.frequency,
            timeout: { minutes: 30 },
            initialDelay: { seconds: 30 },
            fn: async () => {
              await discovery.run(source);
            },
          });
        }

        httpRouter.use(
          await createRouter({
            stores,
            httpAuth,
            permissions,
            userInfo,
            ingestor,
            refresher,
            identityRead: new IdentityReadAuthorizer(
              permissions,
              permissionsRegistry.getPermissionRuleset(identityResourceRef),
            ),
            reviews,
            evidence: new EvidenceService(stores, policy),
            discovery: new DiscoveryService(stores, {
              sources: discoverySources,
              runner: discovery,
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
