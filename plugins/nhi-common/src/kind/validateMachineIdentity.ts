import type { z } from 'zod';
import { detectSecretMaterial } from '../secrets/detectSecretMaterial';
import { findRedactionMarkers } from '../secrets/redactionMarker';
import { declarationParts, secretIssues } from './secretIssues';
import type { MachineIdentityEntity } from './MachineIdentityEntity';
import type { ValidationIssue } from './validationIssue';
import { machineIdentityEntitySchema } from './schema';

export type { ValidationIssue } from './validationIssue';

/** @public */
export type MachineIdentityValidation =
  | { valid: true; entity: MachineIdentityEntity }
  | {
      valid: false;
      /** True when the entity was refused because it carries secret material. */
      carriesSecretMaterial: boolean;
      issues: ValidationIssue[];
    };

export { SECRET_REFUSAL } from './secretIssues';

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
