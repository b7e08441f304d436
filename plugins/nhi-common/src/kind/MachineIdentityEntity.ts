import type { Entity } from '@backstage/catalog-model';
import type { z } from 'zod';
import type { machineIdentitySpecSchema } from './schema';
import {
  MACHINE_IDENTITY_API_VERSION,
  MACHINE_IDENTITY_KIND,
} from './vocabulary';

/**
 * The `spec` of a MachineIdentity: who owns it, what it is for, what it can reach and how its
 * credential is kept. It holds references and dates only, never the credential itself.
 *
 * @public
 */
export type MachineIdentitySpec = z.infer<typeof machineIdentitySpecSchema>;

/** @public */
export interface MachineIdentityEntity extends Entity {
  apiVersion: typeof MACHINE_IDENTITY_API_VERSION;
  kind: typeof MACHINE_IDENTITY_KIND;
  spec: MachineIdentitySpec;
}

/** True when the entity claims to be a MachineIdentity (its shape is not checked). */
export function isMachineIdentityEntity(
  entity: Entity,
): entity is MachineIdentityEntity {
  return (
    entity.apiVersion === MACHINE_IDENTITY_API_VERSION &&
    entity.kind === MACHINE_IDENTITY_KIND
  );
}
