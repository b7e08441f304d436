import type { SecretMaterialFinding } from '../secrets/types';
import type { ValidationIssue } from './validationIssue';

export const SECRET_REFUSAL =
  'secrets never belong in the catalog: declare the identity by provider and externalId, and keep the secret in its vault';

// Every field of spec is ours, so a secret-sounding field name is refused there. Metadata keys
// are chosen by others (e.g. `vault.io/secrets-path`), so only its values are checked.
export function declarationParts(entity: unknown) {
  const envelope = (entity ?? {}) as Record<string, any>;
  const {
    name: _name,
    namespace: _namespace,
    ...metadata
  } = envelope.metadata ?? {};
  return { spec: envelope.spec, metadata };
}

/** Each finding once, as a validation issue that says why secrets never belong in the catalog. */
export function secretIssues(
  found: SecretMaterialFinding[],
): ValidationIssue[] {
  return found
    .filter(
      (s, i) =>
        found.findIndex(o => o.path === s.path && o.reason === s.reason) === i,
    )
    .map(s => ({ path: s.path, message: `${s.reason}; ${SECRET_REFUSAL}` }));
}
