/**
 * Secret values never belong in the catalog or in this plugin's storage: identities are kept by
 * reference (provider + externalId) and fingerprint. This finds what looks like secret material
 * so that callers can refuse it. It reports where, never what, so the secret is not echoed
 * into errors or logs.
 */
export interface SecretMaterialFinding {
  /** Dotted path of the offending field, e.g. `spec.credential.privateKey`. */
  path: string;
  reason: string;
}

// Matched against field names with case, `-` and `_` removed.
const SECRET_FIELD_NAMES = [
  /secret/,
  /password/,
  /passwd/,
  /passphrase/,
  /privatekey/,
  /token$/,
  /^token/,
  /^apikey$/,
  /^value$/,
  /^credentials?value$/,
];

// Values that are unmistakably secrets whatever the field is called.
const SECRET_VALUE_PATTERNS: Array<[RegExp, string]> = [
  [/-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/, 'a private key'],
  [/\bgh[pousr]_[A-Za-z0-9]{30,}/, 'a GitHub token'],
  [/\bgithub_pat_[A-Za-z0-9_]{30,}/, 'a GitHub token'],
  [/\bglpat-[A-Za-z0-9_-]{20,}/, 'a GitLab token'],
  [/\bnpm_[A-Za-z0-9]{36}\b/, 'an npm token'],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/\beyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}/, 'a signed JWT'],
  [/\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}/, 'a Stripe secret key'],
  [/\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/, 'a Google API key'],
  [/\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{32,}/, 'an AI provider API key'],
  // scheme://user:password@host, including Redis's empty user (redis://:password@host).
  [
    /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:[^\s/@]+@/i,
    'a URL with an embedded password',
  ],
];

/** Options for {@link detectSecretMaterial}. */
export interface DetectSecretMaterialOptions {
  /**
   * Also flag fields whose name says they hold a secret (`privateKey`, `token`, …). Off for maps
   * whose keys are names chosen by others, such as annotations (`vault.io/secrets-path`).
   */
  checkFieldNames?: boolean;
}

function normaliseFieldName(name: string): string {
  return name.toLocaleLowerCase('en-US').replace(/[-_]/g, '');
}

function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base ? `${base}.${key}` : key;
}

/** Walks any JSON-like value and lists each field or value that looks like secret material. */
export function detectSecretMaterial(
  value: unknown,
  basePath = '',
  options: DetectSecretMaterialOptions = {},
): SecretMaterialFinding[] {
  const checkFieldNames = options.checkFieldNames ?? true;
  const findings: SecretMaterialFinding[] = [];
  const visit = (node: unknown, path: string) => {
    if (typeof node === 'string') {
      const match = SECRET_VALUE_PATTERNS.find(([pattern]) =>
        pattern.test(node),
      );
      if (match) findings.push({ path, reason: `looks like ${match[1]}` });
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, joinPath(path, i)));
      return;
    }
    if (node && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        const childPath = joinPath(path, key);
        const name = normaliseFieldName(key);
        if (
          checkFieldNames &&
          SECRET_FIELD_NAMES.some(pattern => pattern.test(name))
        ) {
          findings.push({
            path: childPath,
            reason: 'is a field for secret material',
          });
        } else {
          visit(child, childPath);
        }
      }
    }
  };
  visit(value, basePath);
  return findings;
}
