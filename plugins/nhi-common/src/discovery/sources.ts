import type { DiscoveredCredential } from './types';

// How a discovery source stands and what its reads answer: the source-health panel, the
// credentials it lists, a run. The parsers' output types are in ./types.

/**
 * One odd cell of a source file that was otherwise read: the value was kept as unknown (or the
 * entry left out), and the run went on. Names where and why, never the value.
 */
export type DiscoveryWarning = {
  /** Where in the file: `row 12`, `line 40`, `$.items[3]`, `record 7`. */
  location: string;
  /** The column or field that was not read, e.g. `access_key_1_last_used_date`. */
  field: string;
  reason: string;
};

/** How many warnings a run keeps to show; the count goes on past it. */
export const DISCOVERY_WARNINGS_KEPT = 100;

/**
 * How one account, tenant, project or cluster of a connector's run went. A failed one kept the
 * credentials of its last good read; the others were updated.
 */
export type DiscoveryScopeOutcome = {
  scope: string;
  status: 'ok' | 'failed';
  /** Why it failed, as the provider answered (never a secret). */
  error?: string;
  /** Credentials it holds after the run: read now, or kept from its last good read. */
  credentials: number;
  /** For a failed scope, when its kept credentials were read; absent if never read. */
  keptFrom?: string;
};

/** How a discovery source stands: what the source-health panel shows. */
export type DiscoverySourceHealth = {
  id: string;
  format: string;
  /** The file path or URL it is read from. */
  location: string;
  /** `ok`, `failed`, or nothing before its first run. */
  lastStatus?: 'ok' | 'failed';
  lastRunAt?: string;
  lastSuccessAt?: string;
  /** Why the last run failed: the source, the row or path, and the reason. */
  lastError?: string;
  /** What the last good run listed. */
  credentials: number;
  /**
   * What the last good read did: for credential lists, the declared identities it lists, the
   * undeclared ones it found and the declared ones missing from it; for usage logs, the
   * records counted for an identity or not; for leak scans, the reports matched or not.
   */
  summary?: Record<string, number>;
  /** The latest runs, newest first. */
  runs: Array<{
    startedAt: string;
    finishedAt?: string;
    status: 'running' | 'ok' | 'failed';
    rowsRead: number;
    credentials: number;
    error?: string;
    /** Cells the run read as unknown, and fields the screen dropped. */
    warningCount: number;
    /**
     * The first of them ({@link DISCOVERY_WARNINGS_KEPT} at most), for the latest runs; older
     * runs keep only the count.
     */
    warnings: DiscoveryWarning[];
    /** A connector that reads several accounts or tenants: how each went. */
    scopes?: DiscoveryScopeOutcome[];
  }>;
};

/** A credential a source listed in its last good read, and the declared identity it is. */
export type DiscoveredCredentialView = DiscoveredCredential & {
  sourceId: string;
  /**
   * The MachineIdentity declared for it (same provider, and its externalId is the credential's
   * id or its principal), or nothing: undeclared.
   */
  declaredAs?: string;
};

/** `GET /discovery/sources/{id}/credentials`: a page, and where the next one starts. */
export type DiscoveredCredentialsResponse = {
  items: DiscoveredCredentialView[];
  /** Pass as `after` for the next page; absent on the last one. */
  nextAfter?: string;
};

/** `POST /discovery/sources/{id}/run`: how the read went. */
export type DiscoveryRunResponse = {
  status: 'ok' | 'failed';
  rows: number;
  error?: string;
  summary?: Record<string, number>;
  /** Cells read as unknown; a read with warnings is still `ok`. */
  warningCount: number;
  /** The first of them ({@link DISCOVERY_WARNINGS_KEPT} at most). */
  warnings: DiscoveryWarning[];
};

/** The registry source of identities a discovery source found undeclared: `discovery:<id>`. */
export const DISCOVERED_SOURCE_PREFIX = 'discovery:';

export const discoveredSource = (sourceId: string) =>
  `${DISCOVERED_SOURCE_PREFIX}${sourceId}`;

/** The discovery source that found an identity nobody declared; nothing for a declared one. */
export const discoveredBy = (identitySource: string): string | undefined =>
  identitySource.startsWith(DISCOVERED_SOURCE_PREFIX)
    ? identitySource.slice(DISCOVERED_SOURCE_PREFIX.length)
    : undefined;
