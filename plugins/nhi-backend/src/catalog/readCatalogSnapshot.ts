import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  MACHINE_IDENTITY_KIND,
  validateMachineIdentity,
} from '@nhi-governance/plugin-nhi-common';
import type { IdentityRecord } from '../engine/types';
import type { CatalogContext } from '../status/buildFacts';
import { toIdentityRecord } from './toIdentityRecord';

export interface CatalogSnapshot {
  records: IdentityRecord[];
  context: CatalogContext;
}

/**
 * Reads what the status engine needs from the catalog, in pages: the declared identities, the
 * owners that exist, and the lifecycle of everything an identity can be used by.
 */
export async function readCatalogSnapshot(
  catalog: CatalogService,
  credentials: BackstageCredentials,
): Promise<CatalogSnapshot> {
  const records: IdentityRecord[] = [];
  for await (const page of catalog.streamEntities(
    {
      filter: { kind: MACHINE_IDENTITY_KIND },
      fields: ['apiVersion', 'kind', 'metadata', 'spec'],
    },
    { credentials },
  )) {
    for (const entity of page) {
      const result = validateMachineIdentity(entity);
      // The catalog module refuses invalid identities; this only guards against drift.
      if (result.valid) records.push(toIdentityRecord(result.entity));
    }
  }

  const existingOwners = new Set<string>();
  for await (const page of catalog.streamEntities(
    {
      filter: [{ kind: 'Group' }, { kind: 'User' }],
      fields: ['kind', 'metadata.name', 'metadata.namespace'],
    },
    { credentials },
  )) {
    for (const entity of page) existingOwners.add(stringifyEntityRef(entity));
  }

  const entityStates: CatalogContext['entityStates'] = new Map();
  for await (const page of catalog.streamEntities(
    {
      filter: [{ kind: 'Component' }, { kind: 'Resource' }, { kind: 'System' }],
      fields: ['kind', 'metadata.name', 'metadata.namespace', 'spec.lifecycle'],
    },
    { credentials },
  )) {
    for (const entity of page) {
      const lifecycle = (entity.spec as { lifecycle?: string } | undefined)
        ?.lifecycle;
      entityStates.set(
        stringifyEntityRef(entity),
        lifecycle === 'deprecated' ? 'deprecated' : 'active',
      );
    }
  }

  return { records, context: { existingOwners, entityStates } };
}
