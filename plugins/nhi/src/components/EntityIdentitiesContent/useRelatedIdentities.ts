import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef, useEntity } from '@backstage/plugin-catalog-react';
import {
  MachineIdentityEntity,
  isMachineIdentityEntity,
} from '@nhi-governance/plugin-nhi-common';
import useAsync from 'react-use/esm/useAsync';
import { relatedIdentityRefs } from './relatedIdentities';

/** Loads the MachineIdentity entities attached to the entity on the current page. */
export function useRelatedIdentities() {
  const { entity } = useEntity();
  const catalogApi = useApi(catalogApiRef);
  const refs = relatedIdentityRefs(entity);
  const key = refs.join(',');
  return useAsync(async (): Promise<MachineIdentityEntity[]> => {
    if (refs.length === 0) return [];
    const { items } = await catalogApi.getEntitiesByRefs({ entityRefs: refs });
    return items.filter(
      (e): e is MachineIdentityEntity => !!e && isMachineIdentityEntity(e),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [catalogApi, key]);
}
