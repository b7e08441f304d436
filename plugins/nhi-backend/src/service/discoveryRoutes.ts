import type {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import type { BasicPermission } from '@backstage/plugin-permission-common';
import { nhiAdminReadPermission } from '@nhi-governance/plugin-nhi-common';
import type { Router } from 'express';
import type { DiscoveryService } from '../discovery/DiscoveryService';

export interface DiscoveryRouteOptions {
  httpAuth: HttpAuthService;
  discovery: Pick<DiscoveryService, 'sourceHealth'>;
  holds(
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ): Promise<boolean>;
}

/** Source health: each discovery source, its last run and its error, for security. */
export function registerDiscoveryRoutes(
  router: Router,
  options: DiscoveryRouteOptions,
) {
  const { httpAuth, discovery, holds } = options;

  router.get('/discovery/sources', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    if (!(await holds(credentials, nhiAdminReadPermission))) {
      throw new NotAllowedError(
        `Missing permission ${nhiAdminReadPermission.name}`,
      );
    }
    res.json({ items: await discovery.sourceHealth() });
  });
}
