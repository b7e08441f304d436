/**
 * Secret values never belong in the catalog or in this plugin's storage: identities are kept by
 * reference (provider + externalId) and fingerprint. A finding says where secret material was
 * found and what kind it looks like, never what it is, so the secret is not echoed into errors
 * or logs.
 */
export interface SecretMaterialFinding {
  /** Dotted path of the offending field, e.g. `spec.credential.privateKey`. */
  path: string;
  /** For messages: `looks like an AWS access key id`, `is a field for secret material`. */
  reason: string;
  /**
   * The rule that matched: a secretlint rule id (`@secretlint/secretlint-rule-slack`), one of
   * ours (`nhi/aws-access-key-id`), or `nhi/secret-field-name`.
   */
  rule: string;
}

/** Options for {@link detectSecretMaterial} and {@link scanSecretMaterial}. */
export interface DetectSecretMaterialOptions {
  /**
   * Also flag fields whose name says they hold a secret (`privateKey`, `token`, …). Off for maps
   * whose keys are names chosen by others, such as annotations (`vault.io/secrets-path`).
   */
  checkFieldNames?: boolean;
  /**
   * Field names whose value names a credential by its provider's identifier. An AWS access key
   * id is accepted there and refused everywhere else. Default: `['externalId']`.
   */
  identifierFields?: readonly string[];
}

/** The rule of a finding about a field whose name says it holds a secret (`privateKey`). */
export const SECRET_FIELD_NAME_RULE = 'nhi/secret-field-name';

/**
 * The rule of a finding for a value that could not be scanned at all. The scan failed, not the
 * sender: doors answer it with a 503 (try again), never a 400.
 */
export const SCAN_FAILED_RULE = 'nhi/scan-failed';
