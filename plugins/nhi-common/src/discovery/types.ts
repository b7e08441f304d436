import type { Severity } from '../findings/definitions';
import type { MachineIdentityType } from '../kind/vocabulary';

/**
 * What the source parsers yield: credentials that real systems list, uses seen in their logs,
 * and leaks that scanners report. None of them ever carries a secret value: parsers copy
 * identifiers and dates, and drop every field that holds secret text.
 *
 * All times are ISO 8601 strings in UTC with milliseconds (`2026-03-01T09:30:00.000Z`).
 */

/** Where a discovered credential lives. */
export const DISCOVERY_PROVIDERS = [
  'aws',
  'gcp',
  'azure',
  'github',
  'kubernetes',
] as const;
export type DiscoveryProvider = (typeof DISCOVERY_PROVIDERS)[number];

/** What kind of credential a source lists. */
export const DISCOVERED_CREDENTIAL_KINDS = [
  'access-key',
  'signing-certificate',
  'service-account-key',
  'client-secret',
  'client-certificate',
  'personal-access-token',
  'app-installation',
  'service-account-token',
  /** A Kubernetes service account without a long-lived token: an identity, no credential. */
  'service-account',
] as const;
export type DiscoveredCredentialKind =
  (typeof DISCOVERED_CREDENTIAL_KINDS)[number];

/**
 * The MachineIdentity type of each kind of discovered credential: what a discovered identity
 * is registered as, and what the claim YAML proposes.
 */
export const DISCOVERED_KIND_TYPES: Record<
  DiscoveredCredentialKind,
  MachineIdentityType
> = {
  'access-key': 'api-key',
  'signing-certificate': 'certificate',
  'service-account-key': 'service-account',
  'client-secret': 'oauth-client',
  'client-certificate': 'certificate',
  'personal-access-token': 'access-token',
  'app-installation': 'oauth-client',
  'service-account-token': 'service-account',
  // A Kubernetes service account without a long-lived token authenticates with projected,
  // short-lived tokens.
  'service-account': 'workload-identity',
};

/** Something the source itself proves about a credential, e.g. an active root access key. */
export type SourceFinding = {
  /** Stable kebab-case code, e.g. `root-access-key`. */
  code: string;
  severity: Severity;
  /** One sentence for a person, naming the credential. */
  detail: string;
  /**
   * When what it proves was last seen, for a finding that holds only while recent (the AWS
   * root user used within a day): the engine judges its age against its own clock.
   */
  observedAt?: string;
};

/** One machine credential that a source lists. */
export type DiscoveredCredential = {
  provider: DiscoveryProvider;
  /** The provider's stable id of the credential (never the secret); unique per provider. */
  externalId: string;
  kind: DiscoveredCredentialKind;
  /** Who the credential authenticates as: a user ARN, a service-account email, an app id. */
  principal: string;
  displayName?: string;
  /**
   * Usable as far as the source says: not disabled, suspended or flagged expired by it.
   * An `expiresAt` in the past is left for the caller to judge against its own clock.
   */
  active: boolean;
  createdAt?: string;
  lastRotatedAt?: string;
  expiresAt?: string;
  lastUsedAt?: string;
  /**
   * True when the source reports when its credentials were last used but cannot say it for
   * this one (no usage column for its kind, such as AWS signing certificates, or a cell it
   * could not read): a missing lastUsedAt is then unknown, not "never used".
   */
  usageUnknown?: boolean;
  lastUsedRegion?: string;
  lastUsedService?: string;
  /** Permissions as the provider names them, e.g. `repository:contents:write`. */
  scopes?: string[];
  /** An owner the source names (a label or tag value); never a verified catalog ref. */
  ownerHint?: string;
  /** True when the provider rotates the credential itself (GCP SYSTEM_MANAGED keys). */
  managedByProvider?: boolean;
  /** Why the source disabled or suspended it, as the source says. */
  disabledReason?: string;
  findings?: SourceFinding[];
  /**
   * The account, tenant, project or cluster the source read it from, when a connector reads
   * several one by one: one that fails keeps its last good credentials while the others update.
   */
  scope?: string;
};

/** Where a usage log comes from: a cloud, or a secrets broker such as Vault. */
export type UsageProvider = DiscoveryProvider | 'vault';

/** One use, or failed attempt, seen in a usage log (a CloudTrail record, a Vault audit line). */
export type UsageObservation = {
  /** The log's own id of the record (CloudTrail eventID, Vault request id): read twice, counted once. */
  eventId?: string;
  provider: UsageProvider;
  /** The credential used, where the log names it: an AWS access key id, a Vault entity id. */
  externalId?: string;
  /** Who acted: an ARN, a Vault display name. */
  principal?: string;
  occurredAt: string;
  sourceAddress?: string;
  region?: string;
  userAgent?: string;
  /** What was attempted: `s3:GetObject`, a Vault request path. */
  action?: string;
  failed: boolean;
  errorCode?: string;
  /** Vault policies attached to the token. */
  policies?: string[];
};

export const LEAK_SCANNERS = ['gitleaks', 'trufflehog'] as const;
export type LeakScanner = (typeof LEAK_SCANNERS)[number];

/**
 * One finding of a leak scanner. It says where a secret was found, never what it was: the
 * scanners' Secret, Match, Raw and RawV2 fields are dropped by the parsers.
 */
export type LeakReport = {
  scanner: LeakScanner;
  /** The scanner's rule or detector, e.g. `aws-access-token`, `AWS`. */
  rule: string;
  /** A non-secret id of the leaked credential the scanner publishes (an AWS access key id). */
  keyId?: string;
  /** Who the leaked credential belongs to, when the scanner verified it (an AWS ARN). */
  principal?: string;
  /** The scanner's own id of the finding, to recognise it on the next scan. */
  fingerprint?: string;
  file?: string;
  line?: number;
  commit?: string;
  repository?: string;
  /** Who committed it (email or name). */
  author?: string;
  /** When it was committed. */
  date?: string;
  /** True when the scanner checked that the credential still works. */
  verified?: boolean;
};

/** A date the declaration and a source give differently; the source's wins. */
export type SourceDisagreement = {
  field: 'createdAt' | 'lastRotatedAt' | 'expiresAt';
  declared: string;
  source: string;
};

/**
 * What one discovery source says about one identity, as of the source's last good read. The
 * dates a source gives win over the declared ones; a source that was read in full and no
 * longer lists a declared identity says `listed: false` (missing at source).
 */
export type IdentitySourceFacts = {
  sourceId: string;
  format: string;
  /** When the read these facts come from finished. */
  readAt: string;
  /** Set when nobody declared the identity: the source found it. */
  discovered?: boolean;
  /** The source says when each credential was last used: no date means never used. */
  reportsUsage?: boolean;
  /** Credential sources: whether the last good read lists it. */
  listed?: boolean;
  /** The credentials the source lists for the identity (a principal may hold several). */
  credentials?: Array<{
    externalId: string;
    kind: DiscoveredCredentialKind;
    active: boolean;
    /** Each credential's own dates, for checks made key by key (CIS AWS 1.12, 1.14). */
    createdAt?: string;
    lastRotatedAt?: string;
    lastUsedAt?: string;
    usageUnknown?: boolean;
  }>;
  /**
   * How many of all the credentials the source lists for the identity are active, counted over
   * every one, not only those named in `credentials` (which keeps a few): whether the identity
   * can authenticate is judged from this.
   */
  activeCredentials?: number;
  /** The dates the source gives: the earliest creation, the latest rotation and use, the earliest expiry. */
  dates?: {
    createdAt?: string;
    lastRotatedAt?: string;
    expiresAt?: string;
    lastUsedAt?: string;
  };
  /** Where the declaration says otherwise than the source. */
  disagreements?: SourceDisagreement[];
  /** The owner the source names, as it names it. */
  ownerHint?: string;
  /** What the source itself proves (an active root key, a key Google disabled as exposed). */
  findings?: SourceFinding[];
  /** Leak scanners: where a secret of the identity was found; never the secret. */
  leaks?: LeakReport[];
  /** Usage logs: what the source's reads attributed to the identity. */
  usage?: { uses: number; authFailures: number; lastAt: string };
};
