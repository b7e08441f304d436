import { scanSecretMaterial } from '../secrets/scanSecretMaterial';
import { declarationParts, secretIssues } from './secretIssues';
import type { ValidationIssue } from './validationIssue';

// A module of its own: the frontend bundles validateMachineIdentity, and must not reach
// secretlint (which needs Node's modules) through it.

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
