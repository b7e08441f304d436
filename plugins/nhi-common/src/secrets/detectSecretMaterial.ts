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

// Any of the value patterns, tried first: most values match none, and one pass is cheaper than
// eleven. Collectors send thousands of events a second through here.
const ANY_SECRET_VALUE = new RegExp(
  SECRET_VALUE_PATTERNS.map(([pattern]) => `(?:${pattern.source})`).join('|'),
  'i',
);
// Shorter than the shortest pattern (`a://:b@`) cannot match.
const SHORTEST_SECRET_VALUE = 7;

// Field names recur (every event has `id`, `type`, `identity`, …); what each one is, is kept.
const fieldNameIsSecret = new Map<string, boolean>();
const FIELD_NAME_CACHE_LIMIT = 10_000;

function isSecretFieldName(name: string): boolean {
  let secret = fieldNameIsSecret.get(name);
  if (secret === undefined) {
    const normalised = name.toLowerCase().replace(/[-_]/g, '');
    secret = SECRET_FIELD_NAMES.some(pattern => pattern.test(normalised));
    if (fieldNameIsSecret.size < FIELD_NAME_CACHE_LIMIT)
      fieldNameIsSecret.set(name, secret);
  }
  return secret;
}

function secretValueKind(value: string): string | undefined {
  if (value.length < SHORTEST_SECRET_VALUE || !ANY_SECRET_VALUE.test(value))
    return undefined;
  return SECRET_VALUE_PATTERNS.find(([pattern]) => pattern.test(value))?.[1];
}

type PathPart = string | number;

// Paths are joined only for what is reported.
function joinPath(base: string, parts: PathPart[]): string {
  return parts.reduce<string>((path, key) => {
    if (typeof key === 'number') return `${path}[${key}]`;
    return path ? `${path}.${key}` : key;
  }, base);
}

/** Walks any JSON-like value and lists each field or value that looks like secret material. */
export function detectSecretMaterial(
  value: unknown,
  basePath = '',
  options: DetectSecretMaterialOptions = {},
): SecretMaterialFinding[] {
  const checkFieldNames = options.checkFieldNames ?? true;
  const findings: SecretMaterialFinding[] = [];
  const parts: PathPart[] = [];
  const visit = (node: unknown) => {
    if (typeof node === 'string') {
      const kind = secretValueKind(node);
      if (kind)
        findings.push({
          path: joinPath(basePath, parts),
          reason: `looks like ${kind}`,
        });
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        parts.push(i);
        visit(item);
        parts.pop();
      });
      return;
    }
    if (node && typeof node === 'object') {
      for (const key of Object.keys(node)) {
        parts.push(key);
        if (checkFieldNames && isSecretFieldName(key)) {
          findings.push({
            path: joinPath(basePath, parts),
            reason: 'is a field for secret material',
          });
        } else {
          visit((node as Record<string, unknown>)[key]);
        }
        parts.pop();
      }
    }
  };
  visit(value);
  return findings;
}
