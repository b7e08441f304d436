import {
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  MachineIdentityEntity,
  resolveSpecRefString,
} from '@nhi-governance/plugin-nhi-common';
import type { IdentityRecord } from '../engine/types';

/** A validated MachineIdentity entity as the plugin stores it, every ref resolved in full. */
export function toIdentityRecord(
  entity: MachineIdentityEntity,
): IdentityRecord {
  const { spec } = entity;
  const namespace = getCompoundEntityRef(entity).namespace;
  const ref = (
    value: string | undefined,
    field: Parameters<typeof resolveSpecRefString>[1],
  ) => (value ? resolveSpecRefString(value, field, namespace) : undefined);
  return {
    ref: stringifyEntityRef(entity),
    type: spec.type as IdentityRecord['type'],
    owner: ref(spec.owner, 'owner'),
    backupOwner: ref(spec.backupOwner, 'backupOwner'),
    system: ref(spec.system, 'system'),
    usedBy: (spec.usedBy ?? []).map(u =>
      resolveSpecRefString(u, 'usedBy', namespace),
    ),
    environment: spec.environment,
    provider: spec.provider,
    externalId: spec.externalId,
    purpose: spec.purpose,
    scopes: spec.scopes ?? [],
    privilege: spec.privilege as IdentityRecord['privilege'],
    credential: spec.credential ?? {},
    approval: spec.approval
      ? {
          ...spec.approval,
          approvedBy: resolveSpecRefString(
            spec.approval.approvedBy,
            'approvedBy',
            namespace,
          ),
        }
      : undefined,
  };
}
