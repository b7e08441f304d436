import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  nhiAdminReadPermission,
  nhiEventsIngestPermission,
} from '@nhi-governance/plugin-nhi-common';
import type { BasicPermission } from '@backstage/plugin-permission-common';
import type { Request } from 'express';
import { readRollups, readTrend } from '../database/rollupTable';
import { DateTime } from 'luxon';
import type { EventIngestor } from '../events/EventIngestor';
import type { Refresher } from '../status/Refresher';
import type { IdentityReadAuthorizer } from '../permissions/authorizeIdentityRead';
import express from 'express';
import Router from 'express-promise-router';
import type { Knex } from 'knex';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { listIdentities, toView } from '../database/identityQueries';
import { readIdentity } from '../database/identityTable';
import {
  readLedger,
  readLedgerFor,
  readLedgerHead,
} from '../database/ledgerTable';
import { verifyChain } from '../ledger/chain';
import { listIdentitiesQuery, rollupsQuery, trendQuery } from './schemas';
import { parseInput } from './validate';

export interface RouterOptions {
  knex: Knex;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  ingestor: EventIngestor;
  refresher: Pick<Refresher, 'refreshIdentities'>;
  identityRead: Pick<IdentityReadAuthorizer, 'visibleTo' | 'assertCanRead'>;
}

/** HTTP only: parse, call the store, answer. Rules live in the services behind it. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { knex, httpAuth, permissions, ingestor, refresher, identityRead } =
    options;
  const router = Router();
  // An event batch holds up to 1000 events.
  router.use(express.json({ limit: '5mb' }));

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/identities', async (req, res) => {
    const { sort, order, limit, offset, ...filter } = parseInput(
      listIdentitiesQuery,
      req.query,
      'query',
    );
    const visible = await identityRead.visibleTo(
      await httpAuth.credentials(req),
    );
    res.json(
      await listIdentities(
        knex,
        filter,
        { sort, order, limit, offset },
        visible,
      ),
    );
  });

  router.get('/identities/:namespace/:name', async (req, res) => {
    const ref = stringifyEntityRef({
      kind: 'MachineIdentity',
      namespace: req.params.namespace,
      name: req.params.name,
    });
    const stored = await readIdentity(knex, ref);
    if (!stored) {
      throw new NotFoundError(`No machine identity ${ref}`);
    }
    await identityRead.assertCanRead(
      await httpAuth.credentials(req),
      toView(stored),
    );
    res.json({
      identity: toView(stored),
      ledger: await readLedgerFor(knex, ref),
    });
  });

  const requirePermission = async (
    req: Request,
    permission: BasicPermission,
    allow?: Array<'service' | 'user'>,
  ) => {
    const credentials = await httpAuth.credentials(
      req,
      allow ? { allow } : undefined,
    );
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Missing permission ${permission.name}`);
    }
  };

  // Events come from machines: people cannot send them, and a service needs the permission.
  router.post('/events', async (req, res) => {
    await requirePermission(req, nhiEventsIngestPermission, ['service']);
    const { affectedRefs, ...result } = await ingestor.ingest(
      req.body,
      DateTime.utc(),
    );
    await refresher.refreshIdentities(affectedRefs);
    res.json(result);
  });

  router.get('/rollups', async (req, res) => {
    await requirePermission(req, nhiAdminReadPermission);
    const { by } = parseInput(rollupsQuery, req.query, 'query');
    res.json({ dimension: by, ...(await readRollups(knex, by)) });
  });

  router.get('/rollups/trend', async (req, res) => {
    await requirePermission(req, nhiAdminReadPermission);
    const { by, key, days } = parseInput(trendQuery, req.query, 'query');
    const from = DateTime.utc().minus({ days }).toISODate()!;
    res.json({
      dimension: by,
      key,
      points: await readTrend(knex, by, key, from),
    });
  });

  router.get('/ledger/verify', async (_req, res) => {
    res.json(await verifyChain(readLedger(knex), await readLedgerHead(knex)));
  });

  return router;
}
