import { getCompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import type { ListIdentitiesResponse } from '@nhi-governance/plugin-nhi-common';
import useAsync from 'react-use/esm/useAsync';
import { IdentityListQuery, nhiApiRef } from '../../api';

/**
 * The machine identities attached to the entity on the current page, from the nhi backend:
 * a group's owned identities, a system's contained ones, a component's used ones.
 * The previous answer stays in `value` while a new query loads.
 */
export function useEntityIdentities(query: IdentityListQuery) {
  const { entity } = useEntity();
  const nhiApi = useApi(nhiApiRef);
  const ref = getCompoundEntityRef(entity);
  const key = JSON.stringify([ref, query]);
  return useAsync(
    (): Promise<ListIdentitiesResponse> =>
      nhiApi.listEntityIdentities(ref, query),
    // The key covers the entity and every query field.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [nhiApi, key],
  );
}
