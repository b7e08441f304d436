import type {
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import type { NhiStores } from '../database/NhiStores';
import { DateTime } from 'luxon';
import { RunWarnings } from './store/DiscoveryStore';
import { EventIngestor } from '../events/EventIngestor';
import { IdentityRegistry } from '../identities/IdentityRegistry';
import { LeakImporter } from './leaks/LeakImporter';
import { CredentialReconciler } from './reconcile/CredentialReconciler';
import { RunWarningLog, runLogLine, storableError } from './RunWarnings';
import { CREDENTIAL_SHAPE, LEAK_SHAPE } from './screenItems';
import type { DiscoverySource } from './sourceSettings';
import { BUILT_IN_FORMATS, SourceFormatRegistry } from './sourceFormats';
import { UsageImporter } from './usage/UsageImporter';
import { counted, locationText, openSource, screened } from './sourceInput';
import { SingleFlight } from '../jobs/SingleFlight';
import { RunScopes, failIfNoScopeWasRead } from './RunScopes';
import { RunLogObjects, SourceRead } from './sourceRead';

/** The job a read of a source is: reads and reconciles of one source never overlap. */
const sourceJob = (sourceId: string) => `discovery:${sourceId}`;

/** The outcome of one read of a source. */
export type RunResult = (
  | {
      status: 'ok';
      runId: number;
      rows: number;
      credentials: number;
      /** What the read matched, discovered, counted or skipped. */
      summary: object;
    }
  | { status: 'failed'; runId: number; rows: number; error: string }
) & {
  /** Cells read as unknown and fields the screen dropped; a run with warnings is still ok. */
  warnings: RunWarnings;
};

/** What a read of one kind of source did besides its rows. */
interface Applied {
  summary: object;
  affectedRefs: string[];
}

/**
 * Reads each source in full, streaming, and makes what it listed the source's state only once
 * the whole file was read. A file that cannot be trusted as a whole (it cannot be read, breaks
 * off, has the wrong header or format) fails its run with an error naming the source, the
 * place and the reason, and the last good state is kept. One odd cell does not: the parser
 * reads it as unknown and the run records a warning (row, field, reason).
 *
 * Every text of the file passes one screen before it is stored (normal form C; no control
 * character, lone surrogate or secret material), a page at a time; a refused text is dropped
 * from its item, with a warning naming the record and the field, never the value.
 *
 * Then, by kind of source: credential lists are reconciled with what teams declared, usage
 * logs become events, and leak scans are matched to identities. The identities whose facts
 * changed are handed to `recompute`.
 */
export class SourceRunner {
  private readonly reconciler: CredentialReconciler;
  private readonly usage: UsageImporter;
  private readonly leaks: LeakImporter;
  /** A source is read by one replica at a time: a second read meanwhile is refused. */
  private readonly flights: SingleFlight;
  private readonly formats: SourceFormatRegistry;

  constructor(
    private readonly stores: NhiStores,
    private readonly options: {
      urlReader?: Pick<UrlReaderService, 'readUrl'>;
      logger?: LoggerService;
      ingestor?: EventIngestor;
      /** Runs jobs one at a time across replicas; on the stores' leases if absent. */
      flights?: SingleFlight;
      /** The formats registered at start-up; the built-ins alone if absent. */
      formats?: SourceFormatRegistry;
      recompute?: (
        refs: string[],
        options: { usageArrived: boolean },
      ) => Promise<void>;
    } = {},
  ) {
    this.formats = options.formats ?? BUILT_IN_FORMATS;
    this.flights =
      options.flights ??
      new SingleFlight(stores.leases, { logger: options.logger });
    this.reconciler = new CredentialReconciler(
      stores,
      new IdentityRegistry(stores),
      this.formats,
    );
    this.usage = new UsageImporter(
      stores,
      options.ingestor ?? new EventIngestor(stores),
    );
    this.leaks = new LeakImporter(stores);
  }

  /** Records the configured sources, so that their health shows before their first run. */
  async register(sources: DiscoverySource[]) {
    await this.stores.discovery.upsertSources(
      sources.map(s => ({
        id: s.id,
        format: s.format,
        location: locationText(s.location),
      })),
    );
  }

  /**
   * Reads the source and applies what it holds.
   * @throws ConflictError while the source is being read, on this replica or another
   */
  async run(source: DiscoverySource, now = DateTime.utc()): Promise<RunResult> {
    return this.flights.run(
      sourceJob(source.id),
      `A read of discovery source ${source.id}`,
      () => this.read(source, now),
    );
  }

  private async read(
    source: DiscoverySource,
    now: DateTime,
  ): Promise<RunResult> {
    const runId = await this.stores.discovery.startRun(source.id, now.toISO()!);
    const outcome = await this.readIntoRun(source, runId, now);
    if (outcome.status === 'failed') return outcome;
    const { rows, credentials, warnings, streamed } = outcome;
    this.options.logger?.info(runLogLine(source.id, { rows }, warnings));
    const kind = this.formats.kind(source.format);
    let applied: Applied;
    if (streamed) {
      applied = streamed;
      await this.stores.discovery.saveSourceSummary(source.id, applied.summary);
    } else {
      // The reconciler keeps its own summary with the source.
      applied = (await this.reconciler.reconcile(
        source,
        DateTime.utc().toISO()!,
      )) ?? { summary: {}, affectedRefs: [] };
    }
    if (applied.affectedRefs.length) {
      await this.options.recompute?.(applied.affectedRefs, {
        usageArrived: kind === 'usage',
      });
    }
    const { summary } = applied;
    return { status: 'ok', runId, rows, credentials, summary, warnings };
  }

  /**
   * Reads the whole source into the run; the run becomes the source's state only once
   * complete. A failure ends the run, with its error, and keeps the last good state.
   */
  private async readIntoRun(
    source: DiscoverySource,
    runId: number,
    now: DateTime,
  ) {
    const kind = this.formats.kind(source.format);
    const counter = { rows: 0 };
    const log = new RunWarningLog();
    const scopes = new RunScopes();
    const scopeReport = async () =>
      scopes.none ? {} : { scopes: await scopes.report() };
    try {
      const input = await openSource(source, this.options.urlReader);
      const run = {
        scopes,
        logObjects: new RunLogObjects(this.stores, source.id),
      };
      const read = { input, counter, warn: log.warn, run };
      // Usage logs and leak scans are applied as they stream; credential lists once complete.
      const streamed =
        kind === 'credentials'
          ? await this.readCredentials(source, runId, read)
          : await this.readEvents(source, now, read);
      await failIfNoScopeWasRead(scopes);
      const warnings = await log.result();
      const credentials = await this.stores.discovery.completeRun({
        id: runId,
        sourceId: source.id,
        rows: counter.rows,
        at: DateTime.utc().toISO()!,
        warnings,
        ...(await scopeReport()),
      });
      return {
        status: 'ok' as const,
        rows: counter.rows,
        credentials,
        warnings,
        streamed,
      };
    } catch (e) {
      const error = `${source.id}: ${await storableError(
        (e as Error).message,
      )}`;
      const warnings = await log.result();
      this.options.logger?.warn(
        runLogLine(source.id, { rows: counter.rows, error }, warnings),
      );
      await this.stores.discovery.failRun({
        id: runId,
        sourceId: source.id,
        rows: counter.rows,
        at: DateTime.utc().toISO()!,
        error,
        warnings,
        ...(await scopeReport()),
      });
      const failed = { status: 'failed' as const, runId, rows: counter.rows };
      return { ...failed, error, warnings };
    }
  }

  /**
   * Reconciles every credential source's last good read again, without reading the files:
   * after the catalog changed, a newly declared identity is claimed and one no longer
   * declared is discovered again.
   */
  async reconcileAll(
    sources: DiscoverySource[],
    now = DateTime.utc(),
  ): Promise<string[]> {
    const reconciled: string[] = [];
    for (const source of sources) {
      if (this.formats.kind(source.format) !== 'credentials') continue;
      // A source being read now is reconciled by that read, against the catalog of then; the
      // next refresh reconciles it again if the catalog changed since.
      const result = await this.flights.runUnlessRunning(
        sourceJob(source.id),
        `A read of discovery source ${source.id}`,
        () =>
          this.reconciler.reconcile(source, now.toUTC().toISO()!, {
            onlyIfChanged: true,
          }),
      );
      if (result) reconciled.push(source.id);
    }
    return reconciled;
  }

  private async readCredentials(
    source: DiscoverySource,
    runId: number,
    { input, counter, warn, run }: SourceRead,
  ): Promise<undefined> {
    const items = this.formats
      .credentials(source.format)!
      .parse(input, warn, source.settings ?? {}, run);
    for await (const page of screened(items, CREDENTIAL_SHAPE, counter, warn)) {
      page.forEach(item => run.scopes.saw(item));
      await this.stores.discovery.insertCredentials(runId, source.id, page);
    }
    return undefined;
  }

  private async readEvents(
    source: DiscoverySource,
    now: DateTime,
    { input, counter, warn, run }: SourceRead,
  ): Promise<Applied> {
    async function* flat<T>(pages: AsyncIterable<T[]>) {
      for await (const page of pages) yield* page;
    }
    const settings = source.settings ?? {};
    const usage = this.formats.usage(source.format);
    if (usage) {
      // Records are summed first; the importer screens the sums, whose texts are all it keeps.
      const observations = counted(
        usage.parse(input, warn, settings, run),
        counter,
      );
      const { affectedRefs, ...summary } = await this.usage.import(
        { ...source, object: locationText(source.location) },
        observations,
        now,
        { warn, logObjects: run.logObjects },
      );
      return { summary, affectedRefs };
    }
    const reports = this.formats
      .leaks(source.format)!
      .parse(input, warn, settings);
    const { affectedRefs, ...summary } = await this.leaks.import(
      source,
      flat(screened(reports, LEAK_SHAPE, counter, warn)),
      now.toUTC().toISO()!,
    );
    return { summary, affectedRefs };
  }
}
