import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { scanSecretMaterial } from '@nhi-governance/plugin-nhi-common';

/**
 * Stops start-up when any `nhi.*` setting carries secret material: a source URL with a password
 * or token in it, a key pasted into a policy value. These settings reach the ledger, the
 * Discovery tab and the evidence, so a secret in them would be stored and shown. One scan of the
 * whole `nhi` subtree; the message names each key, never the value. Field names are not judged:
 * they are fixed setting names or identity types (`maxCredentialAge.access-token`).
 */
export async function refuseSecretsInConfig(config: Config): Promise<void> {
  const findings = await scanSecretMaterial(config.getOptional('nhi'), 'nhi', {
    checkFieldNames: false,
    // externalId prefixes, which may be a key's id.
    identifierFields: ['authoritativeFor'],
  });
  if (findings.length > 0) {
    throw new InputError(
      `Secret material in app-config; keep secrets in the integrations or a secret store and out of nhi settings: ${findings
        .map(f => `${f.path} ${f.reason}`)
        .join('; ')}`,
    );
  }
}
