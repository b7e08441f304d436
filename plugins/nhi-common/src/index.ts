/**
 * The MachineIdentity kind and the vocabulary shared by the machine-identity plugins.
 *
 * @packageDocumentation
 */

export * from './kind/vocabulary';
export * from './kind/MachineIdentityEntity';
export * from './kind/refs';
export {
  machineIdentitySpecSchema,
  machineIdentityEntitySchema,
} from './kind/schema';
export * from './kind/validateMachineIdentity';
export { scanMachineIdentitySecrets } from './kind/scanMachineIdentitySecrets';
export { machineIdentityJsonSchema } from './kind/jsonSchema';
export { detectSecretMaterial } from './secrets/detectSecretMaterial';
export { scanSecretMaterial } from './secrets/scanSecretMaterial';
export {
  REDACTED_SECRET_RULE,
  findRedactionMarkers,
  isRedactionMarker,
  redactionMarker,
} from './secrets/redactionMarker';
export type {
  SecretMaterialFinding,
  DetectSecretMaterialOptions,
} from './secrets/types';
export { SCAN_FAILED_RULE, SECRET_FIELD_NAME_RULE } from './secrets/types';
export * from './text';
export * from './findings';
export * from './status';
export * from './ledger/types';
export * from './api/types';
export * from './events/types';
export * from './permissions';
export * from './events/catalogChanged';
export * from './reviews/types';
export * from './reviews/serious';
export * from './evidence/types';
export * from './evidence/files';
export * from './discovery/types';
export * from './discovery/sources';
