import type { z } from 'zod';
import { detectSecretMaterial } from '../secrets/detectSecretMaterial';
import { findRedactionMarkers } from '../secrets/redactionMarker';
import { scanSecretMaterial } from '../secrets/scanSecretMaterial';
import type { SecretMaterialFinding } from '../secrets/types';
import type { MachineIdentityEntity } from './MachineIdentityEntity';
import { machineIdentityEntitySchema } from './schema';

/** One reason an entity is not a valid MachineIdentity. */
export interface ValidationIssue {
  /** Dotted path of the field, e.g. `spec.credential.expiresAt`. */
  path: string;
  message: string;
}

/** @public */
export type MachineIdentityValidation =
  | { valid: true; entity: MachineIdentityEntity }
  | {
      valid: false;
      /** True when the entity was refused because it carries secret material. */
      carriesSecretMaterial: boolean;
      issues: ValidationIssue[];
    };

export const SECRET_REFUSAL =
  'secrets never belong in the catalog: declare the identity by provider and externalId, and keep the secret in its vault';

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out ? `${out}.${String(key)}` : String(key);
  }, '');
}

function toIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.flatMap(issue => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map(key => ({
        path: formatPath([...issue.path, key]),
        message: 'is not a MachineIdentity field',
      }));
    }
    return [{ path: formatPath(issue.path), message: issue.message }];
  });
}

/**
 * Checks an entity against the MachineIdentity contract. Secret material is checked first and
 * reported on its own, because an entity carrying a secret must be refused whatever else is wrong.
 */
// Every field of spec is ours, so a secret-sounding field name is refused there. Metadata keys
// are chosen by others (e.g. `vault.io/secrets-path`), so only its values are checked.
function declarationParts(entity: unknown) {
  const envelope = (entity ?? {}) as Record<string, any>;
  const {
    name: _name,
    namespace: _namespace,
    ...metadata
  } = envelope.metadata ?? {};
  return { spec: envelope.spec, metadata };
}

function secretIssues(found: SecretMaterialFinding[]): ValidationIssue[] {
  return found
    .filter(
      (s, i) =>
        found.findIndex(o => o.path === s.path && o.reason === s.reason) === i,
    )
    .map(s => ({ path: s.path, message: `${s.reason}; ${SECRET_REFUSAL}` }));
}

/**
 * The secret material of a declaration by the whole maintained ruleset (secretlint's and ours),
 * as validation issues: what the catalog processor refuses whatever way the entity arrived (an
 * entity provider hands the catalog entities that never passed the redacting parser).
 */
export async function scanMachineIdentitySecrets(
  entity: unknown,
): Promise<ValidationIssue[]> {
  const { spec, metadata } = declarationParts(entity);
  return secretIssues([
    ...(await scanSecretMaterial(spec, 'spec')),
    ...(await scanSecretMaterial(metadata, 'metadata', {
      checkFieldNames: false,
    })),
  ]);
}

export function validateMachineIdentity(
  entity: unknown,
): MachineIdentityValidation {
  const { spec, metadata } = declarationParts(entity);
  const secrets = secretIssues([
    ...detectSecretMaterial(spec, 'spec'),
    ...detectSecretMaterial(metadata, 'metadata', { checkFieldNames: false }),
    // What the catalog's parser already took out is refused as the secret itself would be.
    ...findRedactionMarkers(spec, 'spec'),
    ...findRedactionMarkers(metadata, 'metadata'),
  ]);
  if (secrets.length > 0) {
    return { valid: false, carriesSecretMaterial: true, issues: secrets };
  }
  const result = machineIdentityEntitySchema.safeParse(entity);
  if (!result.success) {
    return {
      valid: false,
      carriesSecretMaterial: false,
      issues: toIssues(result.error),
    };
  }
  return {
    valid: true,
    entity: result.data as unknown as MachineIdentityEntity,
  };
}

/** One line per issue, for error messages: `spec.type must be one of …; spec.purpose is required`. */
export function describeIssues(issues: ValidationIssue[]): string {
  return issues.map(i => `${i.path} ${i.message}`).join('; ');
}
