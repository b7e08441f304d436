import { nhiAdminReadPermission } from '@nhi-governance/plugin-nhi-common';
import type { PermissionGuard } from '../http/permissionGuard';
import type { NhiApiRouter } from '../schema/typedRouter';
import type { LedgerService } from './LedgerService';

export interface LedgerRouteOptions {
  guard: PermissionGuard;
  ledger: LedgerService;
}

export function registerLedgerRoutes(
  router: NhiApiRouter,
  { guard, ledger }: LedgerRouteOptions,
) {
  // A whole-ledger scan: for security and auditors' tooling, not for every user.
  router.get('/ledger/verify', async (req, res) => {
    await guard.requirePermission(req, nhiAdminReadPermission);
    res.json(await ledger.verify());
  });
}
