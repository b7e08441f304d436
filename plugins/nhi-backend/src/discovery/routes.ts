import type {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import type { BasicPermission } from '@backstage/plugin-permission-common';
import {
  nhiAdminReadPermission,
  nhiDiscoveryRunPermission,
} from '@nhi-governance/plugin-nhi-common';
import type { NhiApiRouter } from '../schema/typedRouter';
import { z } from 'zod';
import type { DiscoveryService } from './DiscoveryService';
import { parseInput } from '../http/validate';

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
  discovery: Pick<DiscoveryService, 'sourceHealth' | 'credentials' | 'run'>;
  holds(
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ): Promise<boolean>;
}

/** Source health: each discovery source, its last run and its error, for security. */
export function registerDiscoveryRoutes(
  router: NhiApiRouter,
  options: DiscoveryRouteOptions,
) {
  const { httpAuth, discovery, holds } = options;

  const requirePermission = async (
    req: Parameters<HttpAuthService['credentials']>[0],
    permission: BasicPermission,
  ) => {
    if (!(await holds(await httpAuth.credentials(req), permission))) {
      throw new NotAllowedError(`Missing permission ${permission.name}`);
    }
  };
  const mayRead = (req: Parameters<HttpAuthService['credentials']>[0]) =>
    requirePermission(req, nhiAdminReadPermission);

  router.get('/discovery/sources', async (req, res) => {
    await mayRead(req);
    res.json({ items: await discovery.sourceHealth() });
  });

  // Answers once the read is over: a large export can take a minute or more.
  router.post('/discovery/sources/:id/run', async (req, res) => {
    await requirePermission(req, nhiDiscoveryRunPermission);
    res.json(await discovery.run(req.params.id));
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
