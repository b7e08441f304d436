/** API version of the MachineIdentity kind. */
export const MACHINE_IDENTITY_API_VERSION = 'nhi.backstage.io/v1alpha1';

/** Catalog kind name of a machine identity. */
export const MACHINE_IDENTITY_KIND = 'MachineIdentity';

/** The kinds of machine identity the catalog can declare. Stable: later releases only add. */
export const MACHINE_IDENTITY_TYPES = [
  'service-account',
  'api-key',
  'access-token',
  'oauth-client',
  'certificate',
  'ssh-key',
  'workload-identity',
  'ci-runner',
  'ai-agent',
] as const;

/** @public */
export type MachineIdentityType = (typeof MACHINE_IDENTITY_TYPES)[number];

/** Well-known environments; any other lowercase word is accepted too. */
export const WELL_KNOWN_ENVIRONMENTS = [
  'production',
  'staging',
  'development',
  'test',
] as const;

export const PRIVILEGE_LEVELS = ['read', 'write', 'admin'] as const;
/** @public */
export type PrivilegeLevel = (typeof PRIVILEGE_LEVELS)[number];

export const ROTATION_MODES = ['automatic', 'manual', 'none'] as const;
/** @public */
export type RotationMode = (typeof ROTATION_MODES)[number];

/**
 * The kind each entity-ref field falls back to when the ref names no kind,
 * e.g. `owner: payments` means `group:payments`.
 */
export const DEFAULT_REF_KINDS = {
  owner: 'Group',
  usedBy: 'Component',
  system: 'System',
  backupOwner: 'Group',
  approvedBy: 'User',
} as const;
