import type {
  AuthService,
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import { UsageAnalyzer } from '../anomalies/UsageAnalyzer';
import type { NhiStores } from '../database/NhiStores';
import type { SourceFormatRegistry } from '../discovery/sourceFormats';
import type { DiscoverySource } from '../discovery/sourceSettings';
import { SourceRunner } from '../discovery/SourceRunner';
import type { FindingRuleRegistry } from '../engine';
import { EventIngestor } from '../events/EventIngestor';
import { IdentityRegistry } from '../identities/IdentityRegistry';
import type { Policy } from '../policy/Policy';
import {
  createReviewServices,
  ReviewNotifier,
  ReviewSettings,
} from '../reviews';
import { Refresher } from '../status/Refresher';
import { StatusRecomputer } from '../status/StatusRecomputer';
import { SingleFlight } from '../jobs/SingleFlight';

export interface NhiServiceDeps {
  stores: NhiStores;
  policy: Policy;
  reviewSettings: ReviewSettings;
  discoverySources: DiscoverySource[];
  formats: SourceFormatRegistry;
  findingRules: FindingRuleRegistry;
  auth: AuthService;
  catalog: CatalogService;
  logger: LoggerService;
  urlReader: UrlReaderService;
  notifications: NotificationService;
}

/**
 * The long-lived services. Discovery and the refresher depend on each other: a source read
 * recomputes what it changed, and a catalog change reconciles the sources.
 */
export function createServices(deps: NhiServiceDeps) {
  const { stores, policy, auth, catalog, logger, discoverySources } = deps;
  // One lease table for every job, so a job started on one replica is refused on the others.
  const flights = new SingleFlight(stores.leases, { logger });
  const ingestor = new EventIngestor(stores);
  let recomputeAfterRead: Refresher['refreshIdentities'] = async () => {};
  const discovery = new SourceRunner(stores, {
    urlReader: deps.urlReader,
    logger,
    ingestor,
    formats: deps.formats,
    flights,
    recompute: (refs, options) => recomputeAfterRead(refs, options),
  });
  const refresher = new Refresher({
    auth,
    catalog,
    logger,
    stores,
    registry: new IdentityRegistry(stores),
    recomputer: new StatusRecomputer(stores, policy, deps.findingRules),
    // A newly declared identity claims what a source had found undeclared.
    afterCatalogChange: async () => {
      await discovery.reconcileAll(discoverySources);
    },
    usageAnalyzer: new UsageAnalyzer(stores, policy),
    flights,
  });
  recomputeAfterRead = (refs, options) =>
    refresher.refreshIdentities(refs, options);

  const reviews = createReviewServices({
    stores,
    policy,
    settings: deps.reviewSettings,
    notifier: new ReviewNotifier(deps.notifications, catalog, auth, logger),
    queueIdentities: refs => refresher.queueIdentities(refs),
    flights,
  });
  return { ingestor, discovery, refresher, reviews, flights };
}

export type NhiServices = ReturnType<typeof createServices>;
