import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import type { Request } from 'express';
import { DateTime } from 'luxon';
import { parseInput } from '../http/validate';
import type { IdentityReadAuthorizer } from '../permissions/authorizeIdentityRead';
import type { NhiApiRouter } from '../schema/typedRouter';
import { attachedTo, IdentityService } from './IdentityService';
import { listIdentitiesQuery } from './schemas';
import type { IdentityFilter } from './store/IdentityQueryStore';

export interface IdentityRouteOptions {
  httpAuth: HttpAuthService;
  identities: IdentityService;
  identityRead: Pick<IdentityReadAuthorizer, 'visibleTo' | 'readableBy'>;
}

/** Reading identities: the org-wide list, an entity's identities, and one identity in full. */
export function registerIdentityRoutes(
  router: NhiApiRouter,
  { httpAuth, identities, identityRead }: IdentityRouteOptions,
) {
  const listVisible = async (
    req: Request<any, any, any, any>,
    attached: IdentityFilter = {},
  ) => {
    const { sort, order, limit, offset, ...filter } = parseInput(
      listIdentitiesQuery,
      req.query,
      'query',
    );
    const visible = await identityRead.visibleTo(
      await httpAuth.credentials(req),
    );
    return identities.list(
      { ...filter, ...attached },
      { sort, order, limit, offset },
      visible,
    );
  };

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
    const details = await identities.details(ref, canRead, DateTime.utc());
    if (!details) throw new NotFoundError(`No machine identity ${ref}`);
    res.json(details);
  });
}
