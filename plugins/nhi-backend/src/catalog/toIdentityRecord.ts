import {
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  MachineIdentityEntity,
  resolveSpecRefString,
} from '@nhi-governance/plugin-nhi-common';
import type { IdentityRecord } from '../engine/types';

// Normal form C, as the HTTP edge stores text: the same words from the catalog and from a
// request are one string in a column, its ledger entry and an export.
const nfc = <T extends string | undefined>(value: T): T =>
  (value === undefined ? value : value.normalize('NFC')) as T;

/**
 * A validated MachineIdentity entity as the plugin stores it, every ref resolved in full and
 * every text in normal form C (the validator has refused control characters and lone
 * surrogates).
 */
export function toIdentityRecord(
  entity: MachineIdentityEntity,
): IdentityRecord {
  const { spec } = entity;
  const namespace = getCompoundEntityRef(entity).namespace;
  const ref = (
    value: string | undefined,
    field: Parameters<typeof resolveSpecRefString>[1],
  ) => (value ? nfc(resolveSpecRefString(value, field, namespace)) : undefined);
  return {
    ref: stringifyEntityRef(entity),
    type: spec.type as IdentityRecord['type'],
    owner: ref(spec.owner, 'owner'),
    backupOwner: ref(spec.backupOwner, 'backupOwner'),
    system: ref(spec.system, 'system'),
    usedBy: (spec.usedBy ?? []).map(u => ref(u, 'usedBy')!),
    environment: nfc(spec.environment),
    provider: nfc(spec.provider),
    externalId: nfc(spec.externalId),
    purpose: nfc(spec.purpose),
    scopes: (spec.scopes ?? []).map(nfc),
    privilege: spec.privilege as IdentityRecord['privilege'],
    credential: spec.credential ?? {},
    approval: spec.approval
      ? {
          ...spec.approval,
          approvedBy: ref(spec.approval.approvedBy, 'approvedBy')!,
          ...(spec.approval.ticket !== undefined && {
            ticket: nfc(spec.approval.ticket),
          }),
        }
      : undefined,
  };
}
