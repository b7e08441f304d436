import type {
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  NotAllowedError,
  NotFoundError,
  serializeError,
} from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  IdentityDetailsResponse,
  RefreshResponse,
  nhiAdminReadPermission,
  nhiEventsIngestPermission,
} from '@nhi-governance/plugin-nhi-common';
import express, { Request, Response } from 'express';
import Router from 'express-promise-router';
import type { NhiStores } from '../database/NhiStores';
import { DateTime } from 'luxon';
import { IdentityFilter } from '../identities/store/IdentityQueryStore';
import { toView } from '../identities/toView';

import { EventBatchError } from '../events/EventBatchError';
import type { EventIngestor } from '../events/EventIngestor';
import type { IdentityReadAuthorizer } from '../permissions/authorizeIdentityRead';
import type { Refresher } from '../status/Refresher';
import { listIdentitiesQuery, rollupsQuery, trendQuery } from './schemas';
import { parseInput } from '../http/validate';
import { screenRequests } from './screenRequest';
import type { ReviewServices } from '../reviews';
import { registerReviewRoutes } from '../reviews/routes';
import { registerEvidenceRoutes } from '../evidence/routes';
import { registerDiscoveryRoutes } from '../discovery/routes';
import type { DiscoveryService } from '../discovery/DiscoveryService';
import type { EvidenceService } from '../evidence/EvidenceService';

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
  logger?: LoggerService;
}

/**
 * A refused event batch: the body the backend's error handler would write for its InputError
 * (`error`, `request`, `response`), plus every problem by item index in `items`.
 */
function sendEventBatchError(
  req: Request,
  res: Response,
  error: EventBatchError,
) {
  const statusCode = 400;
  // `problems` is answered once, as `items`; the stack is never sent.
  const { problems: _problems, ...serialized } = serializeError(error);
  res.status(statusCode).json({
    error: serialized,
    request: { method: req.method, url: req.url },
    response: { statusCode },
    items: error.problems.map(({ index, reason }) => ({ index, reason })),
  });
}

/** How an entity holds identities: a group owns them, a system contains them, the rest use them. */
function attachedTo(kind: string, entityRef: string): IdentityFilter {
  switch (kind.toLocaleLowerCase('en-US')) {
    case 'group':
    case 'user':
      return { owner: [entityRef] };
    case 'system':
      return { system: [entityRef] };
    default:
      return { usedBy: [entityRef] };
  }
}

/** HTTP only: parse, check permissions, call the store or a service, answer. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { stores, httpAuth, permissions, ingestor, refresher, identityRead } =
    options;
  const router = Router();
  // An event batch holds up to 1000 events.
  router.use(express.json({ limit: '5mb' }));
  screenRequests(router);

  const holds = async (
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ) => {
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    return decision.result === AuthorizeResult.ALLOW;
  };

  const requirePermission = async (
    req: Request,
    permission: BasicPermission,
    allow?: Array<'service' | 'user'>,
  ) => {
    const credentials = await httpAuth.credentials(
      req,
      allow ? { allow } : undefined,
    );
    if (!(await holds(credentials, permission))) {
      throw new NotAllowedError(`Missing permission ${permission.name}`);
    }
  };

  const listVisible = async (req: Request, attached: IdentityFilter = {}) => {
    const { sort, order, limit, offset, ...filter } = parseInput(
      listIdentitiesQuery,
      req.query,
      'query',
    );
    const visible = await identityRead.visibleTo(
      await httpAuth.credentials(req),
    );
    return stores.identityQueries.listIdentities(
      { ...filter, ...attached },
      { sort, order, limit, offset },
      visible,
    );
  };

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/identities', async (req, res) => {
    res.json(await listVisible(req));
  });

  router.get(
    '/entities/:kind/:namespace/:name/identities',
    async (req, res) => {
      const { kind, namespace, name } = req.params;
      const entityRef = stringifyEntityRef({ kind, namespace, name });
      res.json(await listVisible(req, attachedTo(kind, entityRef)));
    },
  );

  // A caller who may not read an identity is told it does not exist, exactly as for one that
  // does not, so that nobody can probe which identities exist.
  router.get('/identities/:namespace/:name', async (req, res) => {
    const ref = stringifyEntityRef({
      kind: 'MachineIdentity',
      namespace: req.params.namespace,
      name: req.params.name,
    });
    const canRead = await identityRead.readableBy(
      await httpAuth.credentials(req),
    );
    const stored = await stores.identities.readIdentity(ref);
    const identity = stored && toView(stored);
    if (!identity || !canRead(identity)) {
      throw new NotFoundError(`No machine identity ${ref}`);
    }
    const [history, ledger, sources] = await Promise.all([
      stores.eventHistory.readIdentityHistory(ref, DateTime.utc()),
      stores.ledger.readLedgerFor(ref),
      stores.sourceLinks.readSourceFacts([ref]),
    ]);
    const body: IdentityDetailsResponse = {
      identity,
      ...history,
      ledger,
      sources: sources.get(ref)?.facts ?? [],
    };
    res.json(body);
  });

  // Events come from machines: people cannot send them, and a service needs the permission.
  router.post('/events', async (req, res) => {
    await requirePermission(req, nhiEventsIngestPermission, ['service']);
    let ingested;
    try {
      ingested = await ingestor.ingest(req.body, DateTime.utc());
    } catch (error) {
      if (error instanceof EventBatchError) {
        sendEventBatchError(req, res, error);
        return;
      }
      throw error;
    }
    const { affectedRefs, ...result } = ingested;
    refresher.queueIdentities(affectedRefs, { usageArrived: true });
    res.json(result);
  });

  // Synchronous: the answer comes once the sync and recompute are done and visible.
  router.post('/refresh', async (req, res) => {
    await requirePermission(req, nhiAdminReadPermission);
    await refresher.refreshAll();
    const body: RefreshResponse = { status: 'refreshed' };
    res.json(body);
  });

  router.get('/rollups', async (req, res) => {
    await requirePermission(req, nhiAdminReadPermission);
    const { by } = parseInput(rollupsQuery, req.query, 'query');
    res.json({ dimension: by, ...(await stores.rollups.readRollups(by)) });
  });

  router.get('/rollups/trend', async (req, res) => {
    await requirePermission(req, nhiAdminReadPermission);
    const { by, key, days } = parseInput(trendQuery, req.query, 'query');
    const from = DateTime.utc().minus({ days }).toISODate()!;
    res.json({
      dimension: by,
      key,
      points: await stores.rollups.readTrend(by, key, from),
    });
  });

  // A whole-ledger scan: for security and auditors' tooling, not for every user.
  router.get('/ledger/verify', async (req, res) => {
    await requirePermission(req, nhiAdminReadPermission);
    res.json(await stores.ledger.verifyLedger());
  });

  registerReviewRoutes(router, {
    stores,
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
