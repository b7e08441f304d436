import {
  DiscoveredCredential,
  DiscoveryWarning,
} from '@nhi-governance/plugin-nhi-common';

/** What a run warned of: how many cells it read as unknown, and the first of them. */
export interface RunWarnings {
  count: number;
  kept: DiscoveryWarning[];
}

/** How a source stands: its configuration and its last run. */
export interface SourceHealthRow {
  id: string;
  format: string;
  location: string;
  good_run_id: number | null;
  last_run_at: string | null;
  last_status: string | null;
  last_error: string | null;
  last_success_at: string | null;
  summary: string | null;
}

/** A row of nhi_discovery_runs. */
export interface RunRow {
  id: number;
  source_id: string;
  started_at: string;
  finished_at: string | null;
  status: 'running' | 'ok' | 'failed';
  rows_read: number | string;
  credentials: number | string;
  error: string | null;
  warning_count: number | string;
  warnings: string | null;
  /** JSON of DiscoveryScopeOutcome[], for a connector that reads several scopes. */
  scopes?: string | null;
}

/** How far one object of a usage log is counted. */
export interface UsageCheckpoint {
  sourceId: string;
  object: string;
  /** Digest of the object's first record: another digest means a new object under that name. */
  firstRecord: string;
  records: number;
  /** The object was read to its end (an object of a log tree is never appended to). */
  complete: boolean;
}

/** How a run's scopes went, as the connector reported them. */
export interface ScopeReport {
  read: string[];
  failed: Array<{ scope: string; error: string }>;
}

export interface DiscoveryStore {
  /** Records the configured sources; a source dropped from the configuration keeps its history. */
  upsertSources(
    sources: Array<{ id: string; format: string; location: string }>,
  ): Promise<void>;

  startRun(sourceId: string, at: string): Promise<number>;

  /** Writes a page of a run's credentials; nobody reads them until the run is the good one. */
  insertCredentials(
    runId: number,
    sourceId: string,
    credentials: DiscoveredCredential[],
  ): Promise<void>;

  /** The run read the whole file: it becomes the source's state, and the older runs go. */
  completeRun(run: {
    id: number;
    sourceId: string;
    rows: number;
    at: string;
    warnings: RunWarnings;
    /** Failed scopes keep their credentials of the last good run. */
    scopes?: ScopeReport;
  }): Promise<number>;

  /** The run failed: what it wrote goes, the last good state stays, and the error is kept. */
  failRun(run: {
    id: number;
    sourceId: string;
    rows: number;
    at: string;
    error: string;
    /** What the run warned of before it failed. */
    warnings: RunWarnings;
    scopes?: ScopeReport;
  }): Promise<void>;

  readSources(): Promise<SourceHealthRow[]>;

  /** The latest runs of a source, newest first. */
  readRuns(sourceId: string, limit: number): Promise<RunRow[]>;

  /** One run, or nothing. */
  readRun(id: number): Promise<RunRow | undefined>;

  /** What the good run of a source listed, in provider and id order. */
  readCurrentCredentials(sourceId: string): Promise<any[]>;

  /** A page of what one run of a source listed, in (provider, external id) order. */
  runCredentialsPage(
    runId: number,
    page: { after?: { provider: string; externalId: string }; limit: number },
  ): Promise<any[]>;

  /** One configured source, or nothing. */
  readSource(sourceId: string): Promise<SourceHealthRow | undefined>;

  /**
   * Present identities of these providers (of any, when not given) whose external id is one of
   * `ids`; with `declaredOnly`, not those discovery found undeclared.
   */
  identitiesByExternalId(
    providers: string[] | undefined,
    ids: string[],
    options?: { declaredOnly?: boolean },
  ): Promise<Array<{ ref: string; provider: string; external_id: string }>>;

  /** Usage logs: the latest record a complete read of the source saw. */
  /** How far an object of a usage log is counted; nothing before its first read. */
  readUsageCheckpoint(
    sourceId: string,
    object: string,
  ): Promise<UsageCheckpoint | undefined>;

  /** The greatest object key under `prefix` counted in full, for a connector to list after. */
  lastCompleteUsageObject(
    sourceId: string,
    prefix: string,
  ): Promise<string | undefined>;

  /** Saves how far an object is counted: in the transaction that adds its counts. */
  saveUsageCheckpoint(
    checkpoint: UsageCheckpoint & { at: string },
  ): Promise<void>;

  /** Present identities that teams declared (not discovered ones) with one of these providers. */
  readDeclaredOfProviders(
    providers: string[],
  ): Promise<
    Array<{ ref: string; external_id: string | null; credential: string }>
  >;

  /** The source's last good read: its run id and when it finished. */
  readGoodRun(
    sourceId: string,
  ): Promise<{ id: number; finishedAt: string } | undefined>;

  /** What the last reconciliation of a source found, for the source-health panel. */
  saveSourceSummary(sourceId: string, summary: object): Promise<void>;
}
