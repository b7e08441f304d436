import type { Knex } from 'knex';
import {
  DISCOVERED_SOURCE_PREFIX,
  DiscoveredCredential,
} from '@nhi-governance/plugin-nhi-common';
import { chunks } from '../../database/chunks';
import type {
  DiscoveryStore,
  UsageCheckpoint,
  RunWarnings,
  SourceHealthRow,
  RunRow,
} from './DiscoveryStore';
import { completeRun, CompletedRun, FailedRun, failRun } from './runOutcome';

export { RUNS_KEEPING_WARNINGS } from './runOutcome';

/** A run's warnings as stored: the count, and the first ones while the run is recent. */
export const runWarnings = (row: RunRow): RunWarnings => ({
  count: Number(row.warning_count),
  kept: row.warnings ? JSON.parse(row.warnings) : [],
});

/** A row of nhi_discovered_credentials as the credential the parser yielded. */
export const toDiscoveredCredential = (r: {
  provider: string;
  external_id: string;
  kind: string;
  principal: string;
  active: boolean | number;
  details: string;
  scope?: string | null;
}): DiscoveredCredential => ({
  provider: r.provider as DiscoveredCredential['provider'],
  externalId: r.external_id,
  kind: r.kind as DiscoveredCredential['kind'],
  principal: r.principal,
  active: !!r.active,
  ...JSON.parse(r.details),
  ...(r.scope ? { scope: r.scope } : {}),
});

/** DiscoveryStore on the plugin's database (SQLite or PostgreSQL). */
export class KnexDiscoveryStore implements DiscoveryStore {
  constructor(private readonly db: Knex) {}

  /** Records the configured sources; a source dropped from the configuration keeps its history. */
  async upsertSources(
    sources: Array<{ id: string; format: string; location: string }>,
  ): Promise<void> {
    for (const s of sources) {
      await this.db('nhi_discovery_sources')
        .insert(s)
        .onConflict('id')
        .merge(['format', 'location']);
    }
  }

  async startRun(sourceId: string, at: string): Promise<number> {
    const [row] = await this.db('nhi_discovery_runs')
      .insert({ source_id: sourceId, started_at: at, status: 'running' })
      .returning('id');
    return Number(typeof row === 'object' ? row.id : row);
  }

  /** Writes a page of a run's credentials; nobody reads them until the run is the good one. */
  async insertCredentials(
    runId: number,
    sourceId: string,
    credentials: DiscoveredCredential[],
  ): Promise<void> {
    if (!credentials.length) return;
    await this.db('nhi_discovered_credentials')
      .insert(
        credentials.map(
          ({
            provider,
            externalId,
            kind,
            principal,
            active,
            scope,
            ...details
          }) => ({
            run_id: runId,
            source_id: sourceId,
            provider,
            external_id: externalId,
            kind,
            principal,
            active,
            scope: scope ?? null,
            details: JSON.stringify(details),
          }),
        ),
      )
      // A file that lists a credential twice keeps its first listing.
      .onConflict(['run_id', 'provider', 'external_id'])
      .ignore();
  }

  /** The run read the whole file: it becomes the source's state, and the older runs go. */
  async completeRun(run: CompletedRun): Promise<number> {
    return completeRun(this.db, run);
  }

  /** The run failed: what it wrote goes, the last good state stays, and the error is kept. */
  async failRun(run: FailedRun): Promise<void> {
    await failRun(this.db, run);
  }

  async readSources(): Promise<SourceHealthRow[]> {
    return this.db('nhi_discovery_sources').orderBy('id');
  }

  /** The latest runs of a source, newest first. */
  async readRuns(sourceId: string, limit: number): Promise<RunRow[]> {
    return this.db('nhi_discovery_runs')
      .where('source_id', sourceId)
      .orderBy('id', 'desc')
      .limit(limit);
  }

  /** One run, or nothing. */
  async readRun(id: number): Promise<RunRow | undefined> {
    return this.db('nhi_discovery_runs').where('id', id).first();
  }

  /** What the good run of a source listed, in provider and id order. */
  async readCurrentCredentials(sourceId: string): Promise<any[]> {
    return this.db('nhi_discovered_credentials')
      .join(
        'nhi_discovery_sources',
        'nhi_discovery_sources.good_run_id',
        'nhi_discovered_credentials.run_id',
      )
      .where('nhi_discovery_sources.id', sourceId)
      .orderBy(['provider', 'external_id'])
      .select('nhi_discovered_credentials.*');
  }

  /** A page of what one run of a source listed, in (provider, external id) order. */
  async runCredentialsPage(
    runId: number,
    page: { after?: { provider: string; externalId: string }; limit: number },
  ): Promise<any[]> {
    const query = this.db('nhi_discovered_credentials')
      .where('run_id', runId)
      .orderBy(['provider', 'external_id'])
      .limit(page.limit);
    if (page.after) {
      const { provider, externalId } = page.after;
      query.andWhere(q =>
        q
          .where('provider', '>', provider)
          .orWhere(q2 =>
            q2
              .where('provider', provider)
              .andWhere('external_id', '>', externalId),
          ),
      );
    }
    return query;
  }

  /** One configured source, or nothing. */
  async readSource(sourceId: string): Promise<SourceHealthRow | undefined> {
    return this.db('nhi_discovery_sources').where('id', sourceId).first();
  }

  /**
   * Present identities of these providers (of any, when not given) whose external id is one of
   * `ids`; with `declaredOnly`, not those discovery found undeclared.
   */
  async identitiesByExternalId(
    providers: string[] | undefined,
    ids: string[],
    options: { declaredOnly?: boolean } = {},
  ): Promise<Array<{ ref: string; provider: string; external_id: string }>> {
    if (providers?.length === 0 || !ids.length) return [];
    const found = [];
    for (const batch of chunks([...new Set(ids)], 500)) {
      const query = this.db('nhi_identities')
        .whereIn('external_id', batch)
        .whereNull('removed_at')
        .select('ref', 'provider', 'external_id');
      if (providers) query.whereIn('provider', providers);
      if (options.declaredOnly)
        query.andWhere('source', 'not like', `${DISCOVERED_SOURCE_PREFIX}%`);
      found.push(...(await query));
    }
    return found;
  }

  /** Usage logs: the latest record a complete read of the source saw. */
  async readUsageCheckpoint(
    sourceId: string,
    object: string,
  ): Promise<UsageCheckpoint | undefined> {
    const row = await this.db('nhi_usage_checkpoints')
      .where({ source_id: sourceId, object })
      .first();
    if (!row) return undefined;
    return {
      sourceId,
      object,
      firstRecord: row.first_record,
      records: Number(row.records),
      complete: !!row.complete,
    };
  }

  async lastCompleteUsageObject(
    sourceId: string,
    prefix: string,
  ): Promise<string | undefined> {
    // LIKE finds the candidates (SQLite's ignores case, hence the check after); keys then
    // compare as the object store lists them, by bytes, whatever the database's collation.
    const escaped = prefix.replace(/[\\%_]/g, c => `\\${c}`);
    const rows: Array<{ object: string }> = await this.db(
      'nhi_usage_checkpoints',
    )
      .where({ source_id: sourceId, complete: true })
      .andWhereRaw(`object LIKE ? ESCAPE '\\'`, [`${escaped}%`])
      .select('object');
    let last: string | undefined;
    for (const { object } of rows) {
      if (!object.startsWith(prefix)) continue;
      if (!last || Buffer.compare(Buffer.from(object), Buffer.from(last)) > 0) {
        last = object;
      }
    }
    return last;
  }

  async saveUsageCheckpoint(
    c: UsageCheckpoint & { at: string },
  ): Promise<void> {
    await this.db('nhi_usage_checkpoints')
      .insert({
        source_id: c.sourceId,
        object: c.object,
        first_record: c.firstRecord,
        records: c.records,
        complete: c.complete,
        updated_at: c.at,
      })
      .onConflict(['source_id', 'object'])
      .merge(['first_record', 'records', 'complete', 'updated_at']);
  }

  /** Present identities that teams declared (not discovered ones) with one of these providers. */
  async readDeclaredOfProviders(
    providers: string[],
  ): Promise<
    Array<{ ref: string; external_id: string | null; credential: string }>
  > {
    if (!providers.length) return [];
    return this.db('nhi_identities')
      .whereIn('provider', providers)
      .whereNull('removed_at')
      .andWhere('source', 'not like', `${DISCOVERED_SOURCE_PREFIX}%`)
      .orderBy('ref')
      .select('ref', 'external_id', 'credential');
  }

  /** The source's last good read: its run id and when it finished. */
  async readGoodRun(
    sourceId: string,
  ): Promise<{ id: number; finishedAt: string } | undefined> {
    const row = await this.db('nhi_discovery_sources')
      .join('nhi_discovery_runs', 'nhi_discovery_runs.id', 'good_run_id')
      .where('nhi_discovery_sources.id', sourceId)
      .first('nhi_discovery_runs.id as id', 'finished_at');
    return row
      ? { id: Number(row.id), finishedAt: row.finished_at }
      : undefined;
  }

  /** What the last reconciliation of a source found, for the source-health panel. */
  async saveSourceSummary(sourceId: string, summary: object): Promise<void> {
    await this.db('nhi_discovery_sources')
      .where('id', sourceId)
      .update({ summary: JSON.stringify(summary) });
  }
}
