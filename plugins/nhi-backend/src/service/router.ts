import type {
  HttpAuthService,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import express from 'express';
import type { NhiStores } from '../database/NhiStores';
import type { DiscoveryService } from '../discovery/DiscoveryService';
import { registerDiscoveryRoutes } from '../discovery/routes';
import type { EventIngestor } from '../events/EventIngestor';
import { EventService } from '../events/EventService';
import { registerEventRoutes } from '../events/routes';
import type { EvidenceService } from '../evidence/EvidenceService';
import { registerEvidenceRoutes } from '../evidence/routes';
import { createPermissionGuard } from '../http/permissionGuard';
import { IdentityService } from '../identities/IdentityService';
import { registerIdentityRoutes } from '../identities/routes';
import { LedgerService } from '../ledger/LedgerService';
import { registerLedgerRoutes } from '../ledger/routes';
import type { IdentityReadAuthorizer } from '../permissions/authorizeIdentityRead';
import type { ReviewServices } from '../reviews';
import { registerReviewRoutes } from '../reviews/routes';
import { createNhiApiRouter } from '../schema/typedRouter';
import type { Refresher } from '../status/Refresher';
import { RollupService } from '../status/RollupService';
import { registerStatusRoutes } from '../status/routes';
import { screenRequests } from './screenRequest';

export interface RouterOptions {
  stores: NhiStores;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  userInfo: UserInfoService;
  ingestor: EventIngestor;
  refresher: Pick<Refresher, 'queueIdentities' | 'refreshAll'>;
  identityRead: Pick<
    IdentityReadAuthorizer,
    'visibleTo' | 'readableBy' | 'allowedFor' | 'holdsAny'
  >;
  reviews: ReviewServices;
  evidence: EvidenceService;
  discovery: DiscoveryService;
  /** The ledger, with its signed checkpoints when a signing key is configured. */
  ledger?: LedgerService;
  logger?: LoggerService;
}

/** The plugin's HTTP API: the shared edge, then each feature's routes. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { stores, httpAuth, identityRead, refresher } = options;
  const guard = createPermissionGuard(httpAuth, options.permissions);
  const { holds } = guard;
  const router = createNhiApiRouter();
  // An event batch holds up to 1000 events.
  router.use(express.json({ limit: '5mb' }));
  screenRequests(router);

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  registerIdentityRoutes(router, {
    httpAuth,
    identities: new IdentityService(stores),
    identityRead,
  });
  registerEventRoutes(router, {
    guard,
    events: new EventService(options.ingestor, refresher),
  });
  registerStatusRoutes(router, {
    guard,
    refresher,
    rollups: new RollupService(stores),
  });
  registerLedgerRoutes(router, {
    guard,
    ledger: options.ledger ?? new LedgerService(stores),
  });
  registerReviewRoutes(router, {
    httpAuth,
    userInfo: options.userInfo,
    reviews: options.reviews,
    identityRead,
    holds,
  });
  registerEvidenceRoutes(router, {
    httpAuth,
    evidence: options.evidence,
    holds,
    logger: options.logger,
  });
  registerDiscoveryRoutes(router, {
    httpAuth,
    discovery: options.discovery,
    holds,
  });
  return router;
}
