import type {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import type { BasicPermission } from '@backstage/plugin-permission-common';
import { nhiAdminReadPermission } from '@nhi-governance/plugin-nhi-common';
import type { Router } from 'express';
import { z } from 'zod';
import type { DiscoveryService } from '../discovery/DiscoveryService';
import { parseInput } from './validate';

const credentialsQuery = z.strictObject({
  after: z.string({ error: 'must be a cursor' }).max(2048).optional(),
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(500, 'must be at most 500')
    .default(100),
  undeclared: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .optional(),
});

export interface DiscoveryRouteOptions {
  httpAuth: HttpAuthService;
  discovery: Pick<DiscoveryService, 'sourceHealth' | 'credentials'>;
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

  const mayRead = async (
    req: Parameters<HttpAuthService['credentials']>[0],
  ) => {
    if (
      !(await holds(await httpAuth.credentials(req), nhiAdminReadPermission))
    ) {
      throw new NotAllowedError(
        `Missing permission ${nhiAdminReadPermission.name}`,
      );
    }
  };

  router.get('/discovery/sources', async (req, res) => {
    await mayRead(req);
    res.json({ items: await discovery.sourceHealth() });
  });

  router.get('/discovery/sources/:id/credentials', async (req, res) => {
    await mayRead(req);
    const query = parseInput(credentialsQuery, req.query, 'query');
    res.json(
      await discovery.credentials(req.params.id, {
        after: query.after,
        limit: query.limit,
        undeclared: query.undeclared === 'true',
      }),
    );
  });
}
