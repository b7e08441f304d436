import type { Readable } from 'stream';
import type {
  LoggerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type {
  DiscoveredCredential,
  DiscoveryProvider,
  LeakReport,
  UsageObservation,
} from '@nhi-governance/plugin-nhi-common';
import type { z } from 'zod';
import type { WarnFn } from './SourceWarning';

/** What a discovery source yields: credentials to reconcile, uses to count, or leaks to match. */
export type SourceKind = 'credentials' | 'usage' | 'leaks';

/** The item each kind of source yields. */
export interface SourceItems {
  credentials: DiscoveredCredential;
  usage: UsageObservation;
  leaks: LeakReport;
}

/**
 * How a read of several accounts, tenants, projects or clusters reports each one. Every item
 * read from a scope carries it (`scope`); a scope that fails keeps the credentials of its last
 * good read while the others update, and the Discovery tab shows each scope's outcome. A run
 * whose every scope failed fails as a whole.
 */
export interface SourceScopes {
  /** The scope was read in full (even if it holds nothing). */
  read(scope: string): void;
  /** The scope could not be read: its last good credentials are kept, and `error` shown. */
  failed(scope: string, error: unknown): void;
}

/**
 * What a usage connector that reads a tree of log objects (CloudTrail in S3, Vault audit files)
 * needs to read each object once. It yields each object's records with `object` set to the
 * object's key, one object after another, and calls `done` once an object is read to its end
 * (records or none). The importer counts each object once, saving how far it got with the
 * sums; an object left without `done` (its download broke off) is read on from there next run.
 */
export interface LogObjectCheckpoints {
  /**
   * The greatest key under `prefix` (in the store's order) that an earlier run counted in full:
   * list the objects after it (S3 ListObjectsV2 StartAfter). Undefined before the first.
   */
  lastComplete(prefix: string): Promise<string | undefined>;
  /** Whether this object was counted in full already: then it need not be fetched. */
  isComplete(object: string): Promise<boolean>;
  /**
   * The object was read to its end: every record of it was yielded (perhaps none). Call it
   * after its last record, before the next object's first.
   */
  done(object: string): void;
}

/** A usage record a connector read from a tree of log objects: `object` is its key. */
export type ObjectUsageObservation = UsageObservation & { object?: string };

/**
 * Reads a file, yielding each item as it goes. An odd cell is read as unknown and reported to
 * `warn`; only a file that cannot be trusted as a whole throws (a SourceParseError). `settings`
 * are the source's `settings`, checked against the format's schema (`{}` without one).
 */
export type SourceParser<T> = (
  input: Readable,
  warn: WarnFn,
  settings: Record<string, unknown>,
  run?: SourceRunContext,
) => AsyncIterable<T>;

/** What a run gives a connector's read besides its settings: see ConnectorReadOptions. */
export interface SourceRunContext {
  scopes: SourceScopes;
  logObjects: LogObjectCheckpoints;
}

/** Settings a format or connector reads from its source's `settings` key in app-config. */
export type SourceSettingsSchema = z.ZodType<Record<string, unknown>>;

interface SourceFormatBase {
  /** The `format` a source names in app-config, kebab-case, e.g. `aws-credential-report`. */
  name: string;
  /** Checks the source's `settings`; without it, a source of this format takes none. */
  settingsSchema?: SourceSettingsSchema;
}

/** An export that lists one provider's credentials. */
export interface CredentialSourceFormat extends SourceFormatBase {
  kind: 'credentials';
  parse: SourceParser<DiscoveredCredential>;
  provider: DiscoveryProvider;
  /**
   * Whether the export says when each credential was last used: then an absent date means
   * never used, not unknown.
   */
  reportsUsage: boolean;
}

/** A usage log: each record a use or a failed attempt. */
export interface UsageSourceFormat extends SourceFormatBase {
  kind: 'usage';
  parse: SourceParser<UsageObservation>;
}

/** A leak scanner's report. */
export interface LeakSourceFormat extends SourceFormatBase {
  kind: 'leaks';
  parse: SourceParser<LeakReport>;
}

/** A documented file format a discovery source can be read from. */
export type NhiSourceFormat =
  | CredentialSourceFormat
  | UsageSourceFormat
  | LeakSourceFormat;

/** What a connector's read is given. */
export interface ConnectorReadOptions {
  /** The source's `settings`, checked against the connector's schema. */
  settings: Record<string, unknown>;
  logger: LoggerService;
  /** Aborted when the run times out or the backend stops. */
  signal: AbortSignal;
  /** Reports an odd item that was read as unknown; the run goes on. */
  warn: WarnFn;
  /** Reports each account or tenant read, or failed, when the connector reads several. */
  scopes: SourceScopes;
  /** For a usage connector reading a tree of log objects: what earlier runs counted. */
  logObjects: LogObjectCheckpoints;
  /**
   * Reads what an API returned in the shape of a registered file format (an AWS credential
   * report is the same CSV whether downloaded or fetched): the format's own parser, with its
   * warnings going to `warn`.
   */
  parseAs<K extends SourceKind>(
    kind: K,
    format: string,
    input: Readable,
    settings?: Record<string, unknown>,
  ): AsyncIterable<SourceItems[K]>;
}

/**
 * A scheduled reader of an API, yielding the same items a file of its kind yields. A run that
 * throws fails and keeps the source's last good state, as a bad file does.
 */
export type NhiConnector = {
  /** The `connector` a source names in app-config, kebab-case. */
  id: string;
  settingsSchema?: SourceSettingsSchema;
  /** Used when the source gives no `frequency`. */
  defaultSchedule: SchedulerServiceTaskScheduleDefinition;
} & (
  | {
      kind: 'credentials';
      provider: DiscoveryProvider;
      reportsUsage: boolean;
      read(options: ConnectorReadOptions): AsyncIterable<DiscoveredCredential>;
    }
  | {
      kind: 'usage';
      read(
        options: ConnectorReadOptions,
      ): AsyncIterable<ObjectUsageObservation>;
    }
  | {
      kind: 'leaks';
      read(options: ConnectorReadOptions): AsyncIterable<LeakReport>;
    }
);
