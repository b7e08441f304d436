import {
  nhiAdminReadPermission,
  RefreshResponse,
} from '@nhi-governance/plugin-nhi-common';
import { DateTime } from 'luxon';
import type { PermissionGuard } from '../http/permissionGuard';
import { parseInput } from '../http/validate';
import type { NhiApiRouter } from '../schema/typedRouter';
import type { Refresher } from './Refresher';
import type { RollupService } from './RollupService';
import { rollupsQuery, trendQuery } from './schemas';

export interface StatusRouteOptions {
  guard: PermissionGuard;
  refresher: Pick<Refresher, 'refreshAll'>;
  rollups: RollupService;
}

/** Status for security: a refresh on demand, and the org-wide rollup and its trend. */
export function registerStatusRoutes(
  router: NhiApiRouter,
  { guard, refresher, rollups }: StatusRouteOptions,
) {
  // Synchronous: the answer comes once the sync and recompute are done and visible.
  router.post('/refresh', async (req, res) => {
    await guard.requirePermission(req, nhiAdminReadPermission);
    await refresher.refreshAll();
    const body: RefreshResponse = { status: 'refreshed' };
    res.json(body);
  });

  router.get('/rollups', async (req, res) => {
    await guard.requirePermission(req, nhiAdminReadPermission);
    const { by } = parseInput(rollupsQuery, req.query, 'query');
    res.json(await rollups.rollups(by));
  });

  router.get('/rollups/trend', async (req, res) => {
    await guard.requirePermission(req, nhiAdminReadPermission);
    const { by, key, days } = parseInput(trendQuery, req.query, 'query');
    res.json(await rollups.trend(by, key, days, DateTime.utc()));
  });
}
