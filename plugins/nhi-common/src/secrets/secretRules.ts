/**
 * Our own secret rules: one list, used by the synchronous {@link detectSecretMaterial} on its own
 * and by {@link scanSecretMaterial} beside secretlint's maintained ruleset. They keep the
 * formats this product met that secretlint's recommended preset does not report: AWS access key
 * ids (its id rule is off by default) and a secret access key written next to one, Azure
 * storage and Service Bus keys, upper-case GitHub prefixes, and the older patterns kept from
 * before secretlint was used.
 */

/** One pattern for a value that is secret whatever field it is in. */
export interface SecretValueRule {
  /** Stable id, reported as the finding's rule, e.g. `nhi/aws-access-key-id`. */
  id: string;
  /** What it found, for messages: `looks like ${kind}`. */
  kind: string;
  /** Without the `g` flag; scanners add it. */
  pattern: RegExp;
  /**
   * The match names a credential rather than being one (an AWS access key id is how AWS and
   * CloudTrail name a key). It is accepted in identifier fields such as `externalId` and refused
   * everywhere else.
   */
  identifier?: boolean;
}

// Case-insensitive text inside an otherwise case-sensitive pattern (no inline `(?i:)` on Node 22).
const anyCase = (word: string) =>
  [...word]
    .map(c =>
      c.toLowerCase() === c.toUpperCase()
        ? c.replace(/[-_\s]/, '[\\s_-]?')
        : `[${c.toLowerCase()}${c.toUpperCase()}]`,
    )
    .join('');

const AWS_KEY_ID = '(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])';
// Forty base64 characters with both cases: an AWS secret key, not a hex digest such as a SHA-1.
const AWS_SECRET =
  '(?<![A-Za-z0-9/+])(?=[A-Za-z0-9/+]{0,39}[a-z])(?=[A-Za-z0-9/+]{0,39}[A-Z])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])';

// Names that say a value is secret, in any case, with or without `_`, `-` or a space.
const SECRET_NAMES = [
  'secret',
  'password',
  'passwd',
  'token',
  'api key',
  'access key',
  'private key',
  'credentials',
  'credential',
]
  .map(anyCase)
  .join('|');
const VALUE_CHARS = '[A-Za-z0-9+/_.~=-]';
/*
 * Every repeat that can start at many places in one run of characters is bounded. An unbounded
 * one (`[a-z0-9+.-]*://`) is retried from each character of a long run and rescans the rest of
 * it, which is quadratic: 160 KB of `-a-a…` took 16 s and blocked the event loop. The bounds are
 * far above any real scheme, variable name or spacing; the scan stays linear in the text.
 */
const SPACES = '\\s{0,16}';
// Generated-looking: both cases and a digit, or a long hex.
const GENERATED_VALUE = `(?=${VALUE_CHARS}{0,200}?[0-9])(?=${VALUE_CHARS}{0,200}?[a-z])(?=${VALUE_CHARS}{0,200}?[A-Z])${VALUE_CHARS}{12,}|[0-9a-fA-F]{20,}(?![A-Za-z0-9])`;

export const SECRET_VALUE_RULES: readonly SecretValueRule[] = [
  {
    id: 'nhi/private-key',
    kind: 'a private key',
    pattern: /-----BEGIN (?:[A-Z0-9]{1,32} ){0,8}PRIVATE KEY(?: BLOCK)?-----/,
  },
  {
    id: 'nhi/github-token',
    kind: 'a GitHub token',
    pattern: /(?<![A-Za-z0-9])gh[pousr]_[A-Za-z0-9]{30,}/i,
  },
  {
    id: 'nhi/github-token',
    kind: 'a GitHub token',
    pattern: /(?<![A-Za-z0-9])github_pat_[A-Za-z0-9_]{30,}/i,
  },
  {
    id: 'nhi/gitlab-token',
    kind: 'a GitLab token',
    pattern: /(?<![A-Za-z0-9])glpat-[A-Za-z0-9_-]{20,}/i,
  },
  {
    id: 'nhi/npm-token',
    kind: 'an npm token',
    pattern: /(?<![A-Za-z0-9])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/i,
  },
  {
    id: 'nhi/slack-token',
    kind: 'a Slack token or webhook URL',
    pattern: /(?<![A-Za-z0-9])(?:xox[abposre]|xapp)-[A-Za-z0-9-]{10,}/i,
  },
  {
    id: 'nhi/slack-webhook',
    kind: 'a Slack token or webhook URL',
    pattern:
      /hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+\/[A-Za-z0-9_/-]{8,}/i,
  },
  {
    id: 'nhi/jwt',
    kind: 'a signed JWT',
    pattern: /(?<![\w-])eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}/,
  },
  {
    id: 'nhi/stripe-key',
    kind: 'a Stripe secret key',
    pattern: /(?<![A-Za-z0-9])(?:[rs]k_(?:live|test)|whsec)_[A-Za-z0-9]{24,}/,
  },
  {
    id: 'nhi/google-api-key',
    kind: 'a Google API key',
    pattern: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/,
  },
  {
    id: 'nhi/ai-api-key',
    kind: 'an AI provider API key',
    pattern: /(?<![A-Za-z0-9])sk-(?:proj-|ant-)?[A-Za-z0-9_-]{32,}/,
  },
  {
    // scheme://user:password@host, including Redis's empty user (redis://:password@host); not
    // a template (`${DB_PASSWORD}`, `{{pass}}`, `$(PGPASSWORD)`) nor the word password itself.
    id: 'nhi/url-password',
    kind: 'a URL with an embedded password',
    pattern:
      /[a-z][a-z0-9+.-]{0,30}:\/\/[^\s/:@]{0,256}:(?![^\s/@]{0,256}[${}()<>])(?!(?:my|your_|replace_with_)?(?:password|passwd|pass|secret|changeme)@)[^\s/@]{1,256}@/i,
  },
  {
    id: 'nhi/http-authorization',
    kind: 'an HTTP authorization header',
    pattern:
      /Authorization["']?\s{0,16}:\s{0,16}["']?(?:Basic|Bearer|Token|Bot)\s{1,16}[A-Za-z0-9+/._~-]{16,}={0,2}/i,
  },
  {
    id: 'nhi/http-authorization',
    kind: 'an HTTP authorization header',
    // curl -u user:password, --user 'user:password'
    pattern:
      /(?<![\w-])(?:-u|--user)\s{1,16}["']?[^\s:"']{0,256}:(?![$])[^\s"']{6,}/,
  },
  {
    // Entra ID (Azure AD) application client secrets: three characters, a digit, `Q~`.
    id: 'nhi/azure-ad-client-secret',
    kind: 'an Entra ID client secret',
    pattern:
      /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/,
  },
  {
    id: 'nhi/age-secret-key',
    kind: 'an age secret key',
    pattern: /AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}/,
  },
  {
    id: 'nhi/aws-access-key-id',
    kind: 'an AWS access key id',
    pattern: new RegExp(AWS_KEY_ID),
    identifier: true,
  },
  {
    id: 'nhi/aws-secret-access-key',
    kind: 'an AWS secret access key',
    // Beside its key id, in either order, within a few lines of one text (not across two texts:
    // scanSecretMaterial separates them with a NUL).
    pattern: new RegExp(
      `${AWS_KEY_ID}[^\\0]{0,200}?${AWS_SECRET}|${AWS_SECRET}[^\\0]{0,200}?${AWS_KEY_ID}`,
    ),
  },
  {
    id: 'nhi/aws-secret-access-key',
    kind: 'an AWS secret access key',
    // After its name, however it is spelt: `aws_secret_access_key = …`, `Secret access key: …`.
    pattern: new RegExp(
      `${anyCase('secret access key')}["']?${SPACES}(?:[:=]|=>|${anyCase(
        'is',
      )})?${SPACES}["']?${AWS_SECRET}`,
    ),
  },
  {
    // An environment variable named for a secret, set to a value that is not a placeholder:
    // `DB_PASSWORD=8ae31cacf141669ddfb5da`, `POSTMAN_API_KEY="PMAK-…"`.
    id: 'nhi/secret-assignment',
    kind: 'a secret assigned to a variable',
    pattern:
      /(?<![A-Za-z0-9_])[A-Z][A-Z0-9_]{0,64}(?:PASSWORD|PASSWD|PWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?)[A-Z0-9_]{0,64}\s{0,16}[:=]\s{0,16}["']?(?=[^\s"']{0,200}?[0-9])(?=[^\s"']{0,200}?[A-Za-z])[^\s"'$%{}<>]{12,}/,
  },
  {
    // A value after a name that says it is secret (`"client_secret": "…"`, `password=…`): only
    // values that look generated (both cases and a digit, or a long hex), so that prose such as
    // `token: rotated-2026-11-01` and identifiers such as UUIDs pass.
    id: 'nhi/secret-assignment',
    kind: 'a secret assigned to a variable',
    pattern: new RegExp(
      `(?<![A-Za-z0-9])[A-Za-z0-9_.-]{0,64}(?:${SECRET_NAMES})["']?${SPACES}(?:[:=]|=>)${SPACES}["']?(?:${GENERATED_VALUE})`,
    ),
  },
  {
    // DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…; and Service Bus / Event Hubs'
    // Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…
    id: 'nhi/azure-storage-key',
    kind: 'an Azure storage or Service Bus key',
    pattern:
      /(?:AccountKey|SharedAccessKey)\s{0,16}=\s{0,16}[A-Za-z0-9+/]{20,}={0,2}/i,
  },
  {
    id: 'nhi/azure-sas-signature',
    kind: 'an Azure shared access signature',
    pattern: /[?&;]sig=[A-Za-z0-9%+/]{20,}={0,2}/i,
  },
];

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

// Field names recur (every event has `id`, `type`, `identity`, …); what each one is, is kept.
const fieldNameIsSecret = new Map<string, boolean>();
const FIELD_NAME_CACHE_LIMIT = 10_000;

/** Whether a field of this name is meant to hold secret material (`privateKey`, `token`, …). */
export function isSecretFieldName(name: string): boolean {
  let secret = fieldNameIsSecret.get(name);
  if (secret === undefined) {
    const normalised = name.toLowerCase().replace(/[-_]/g, '');
    secret = SECRET_FIELD_NAMES.some(pattern => pattern.test(normalised));
    if (fieldNameIsSecret.size < FIELD_NAME_CACHE_LIMIT)
      fieldNameIsSecret.set(name, secret);
  }
  return secret;
}

/** Fields that name a credential by its provider's identifier, where identifier rules are off. */
export const DEFAULT_IDENTIFIER_FIELDS: readonly string[] = ['externalId'];
