import type { Knex } from 'knex';
import {
  DISCOVERED_SOURCE_PREFIX,
  DiscoveredCredential,
  DiscoveryWarning,
} from '@nhi-governance/plugin-nhi-common';
import { chunks } from './chunks';

/** What a run warned of: how many cells it read as unknown, and the first of them. */
export interface RunWarnings {
  count: number;
  kept: DiscoveryWarning[];
}

/** How many of a source's latest runs keep their list of warnings; older ones keep the count. */
export const RUNS_KEEPING_WARNINGS = 5;

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

/** Records the configured sources; a source dropped from the configuration keeps its history. */
export async function upsertSources(
  knex: Knex,
  sources: Array<{ id: string; format: string; location: string }>,
) {
  for (const s of sources) {
    await knex('nhi_discovery_sources')
      .insert(s)
      .onConflict('id')
      .merge(['format', 'location']);
  }
}

export async function startRun(
  knex: Knex,
  sourceId: string,
  at: string,
): Promise<number> {
  const [row] = await knex('nhi_discovery_runs')
    .insert({ source_id: sourceId, started_at: at, status: 'running' })
    .returning('id');
  return Number(typeof row === 'object' ? row.id : row);
}

/** Writes a page of a run's credentials; nobody reads them until the run is the good one. */
export async function insertCredentials(
  knex: Knex,
  runId: number,
  sourceId: string,
  credentials: DiscoveredCredential[],
) {
  if (!credentials.length) return;
  await knex('nhi_discovered_credentials')
    .insert(
      credentials.map(
        ({ provider, externalId, kind, principal, active, ...details }) => ({
          run_id: runId,
          source_id: sourceId,
          provider,
          external_id: externalId,
          kind,
          principal,
          active,
          details: JSON.stringify(details),
        }),
      ),
    )
    // A file that lists a credential twice keeps its first listing.
    .onConflict(['run_id', 'provider', 'external_id'])
    .ignore();
}

const warningColumns = (warnings: RunWarnings) => ({
  warning_count: warnings.count,
  warnings: warnings.kept.length ? JSON.stringify(warnings.kept) : null,
});

/** Lets the runs of a source older than its latest few drop their list of warnings. */
async function forgetOlderWarnings(trx: Knex, sourceId: string) {
  const recent = await trx('nhi_discovery_runs')
    .where('source_id', sourceId)
    .orderBy('id', 'desc')
    .offset(RUNS_KEEPING_WARNINGS - 1)
    .first('id');
  if (!recent) return;
  await trx('nhi_discovery_runs')
    .where('source_id', sourceId)
    .andWhere('id', '<', recent.id)
    .whereNotNull('warnings')
    .update({ warnings: null });
}

/** The run read the whole file: it becomes the source's state, and the older runs go. */
export async function completeRun(
  knex: Knex,
  run: {
    id: number;
    sourceId: string;
    rows: number;
    at: string;
    warnings: RunWarnings;
  },
): Promise<number> {
  return knex.transaction(async trx => {
    const [{ n }] = await trx('nhi_discovered_credentials')
      .where('run_id', run.id)
      .count({ n: '*' });
    await trx('nhi_discovered_credentials')
      .where('source_id', run.sourceId)
      .andWhereNot('run_id', run.id)
      .delete();
    await trx('nhi_discovery_runs')
      .where('id', run.id)
      .update({
        status: 'ok',
        finished_at: run.at,
        rows_read: run.rows,
        credentials: Number(n),
        ...warningColumns(run.warnings),
      });
    await forgetOlderWarnings(trx, run.sourceId);
    await trx('nhi_discovery_sources').where('id', run.sourceId).update({
      good_run_id: run.id,
      last_run_at: run.at,
      last_status: 'ok',
      last_error: null,
      last_success_at: run.at,
    });
    return Number(n);
  });
}

/** The run failed: what it wrote goes, the last good state stays, and the error is kept. */
export async function failRun(
  knex: Knex,
  run: {
    id: number;
    sourceId: string;
    rows: number;
    at: string;
    error: string;
    /** What the run warned of before it failed. */
    warnings: RunWarnings;
  },
) {
  await knex.transaction(async trx => {
    await trx('nhi_discovered_credentials').where('run_id', run.id).delete();
    await trx('nhi_discovery_runs')
      .where('id', run.id)
      .update({
        status: 'failed',
        finished_at: run.at,
        rows_read: run.rows,
        error: run.error,
        ...warningColumns(run.warnings),
      });
    await forgetOlderWarnings(trx, run.sourceId);
    await trx('nhi_discovery_sources').where('id', run.sourceId).update({
      last_run_at: run.at,
      last_status: 'failed',
      last_error: run.error,
    });
  });
}

export async function readSources(knex: Knex): Promise<SourceHealthRow[]> {
  return knex('nhi_discovery_sources').orderBy('id');
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
}

/** The latest runs of a source, newest first. */
export async function readRuns(
  knex: Knex,
  sourceId: string,
  limit: number,
): Promise<RunRow[]> {
  return knex('nhi_discovery_runs')
    .where('source_id', sourceId)
    .orderBy('id', 'desc')
    .limit(limit);
}

/** One run, or nothing. */
export async function readRun(
  knex: Knex,
  id: number,
): Promise<RunRow | undefined> {
  return knex('nhi_discovery_runs').where('id', id).first();
}

/** A run's warnings as stored: the count, and the first ones while the run is recent. */
export const runWarnings = (row: RunRow): RunWarnings => ({
  count: Number(row.warning_count),
  kept: row.warnings ? JSON.parse(row.warnings) : [],
});

/** What the good run of a source listed, in provider and id order. */
export async function readCurrentCredentials(knex: Knex, sourceId: string) {
  return knex('nhi_discovered_credentials')
    .join(
      'nhi_discovery_sources',
      'nhi_discovery_sources.good_run_id',
      'nhi_discovered_credentials.run_id',
    )
    .where('nhi_discovery_sources.id', sourceId)
    .orderBy(['provider', 'external_id'])
    .select('nhi_discovered_credentials.*');
}

/** A row of nhi_discovered_credentials as the credential the parser yielded. */
export const toDiscoveredCredential = (r: {
  provider: string;
  external_id: string;
  kind: string;
  principal: string;
  active: boolean | number;
  details: string;
}): DiscoveredCredential => ({
  provider: r.provider as DiscoveredCredential['provider'],
  externalId: r.external_id,
  kind: r.kind as DiscoveredCredential['kind'],
  principal: r.principal,
  active: !!r.active,
  ...JSON.parse(r.details),
});

/** A page of what one run of a source listed, in (provider, external id) order. */
export async function runCredentialsPage(
  knex: Knex,
  runId: number,
  page: { after?: { provider: string; externalId: string }; limit: number },
) {
  const query = knex('nhi_discovered_credentials')
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
export async function readSource(
  knex: Knex,
  sourceId: string,
): Promise<SourceHealthRow | undefined> {
  return knex('nhi_discovery_sources').where('id', sourceId).first();
}

/**
 * Present identities of these providers (of any, when not given) whose external id is one of
 * `ids`; with `declaredOnly`, not those discovery found undeclared.
 */
export async function identitiesByExternalId(
  knex: Knex,
  providers: string[] | undefined,
  ids: string[],
  options: { declaredOnly?: boolean } = {},
): Promise<Array<{ ref: string; provider: string; external_id: string }>> {
  if (providers?.length === 0 || !ids.length) return [];
  const found = [];
  for (const batch of chunks([...new Set(ids)], 500)) {
    const query = knex('nhi_identities')
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
export async function readUsageUntil(knex: Knex, sourceId: string) {
  const row = await knex('nhi_discovery_sources')
    .where('id', sourceId)
    .first('usage_until');
  return (row?.usage_until as string | null) ?? undefined;
}

export async function saveUsageUntil(
  knex: Knex,
  sourceId: string,
  until: string,
) {
  await knex('nhi_discovery_sources')
    .where('id', sourceId)
    .update({ usage_until: until });
}

/** Present identities that teams declared (not discovered ones) with one of these providers. */
export async function readDeclaredOfProviders(
  knex: Knex,
  providers: string[],
): Promise<
  Array<{ ref: string; external_id: string | null; credential: string }>
> {
  if (!providers.length) return [];
  return knex('nhi_identities')
    .whereIn('provider', providers)
    .whereNull('removed_at')
    .andWhere('source', 'not like', `${DISCOVERED_SOURCE_PREFIX}%`)
    .orderBy('ref')
    .select('ref', 'external_id', 'credential');
}

/** The source's last good read: its run id and when it finished. */
export async function readGoodRun(
  knex: Knex,
  sourceId: string,
): Promise<{ id: number; finishedAt: string } | undefined> {
  const row = await knex('nhi_discovery_sources')
    .join('nhi_discovery_runs', 'nhi_discovery_runs.id', 'good_run_id')
    .where('nhi_discovery_sources.id', sourceId)
    .first('nhi_discovery_runs.id as id', 'finished_at');
  return row ? { id: Number(row.id), finishedAt: row.finished_at } : undefined;
}

/** What the last reconciliation of a source found, for the source-health panel. */
export async function saveSourceSummary(
  knex: Knex,
  sourceId: string,
  summary: object,
) {
  await knex('nhi_discovery_sources')
    .where('id', sourceId)
    .update({ summary: JSON.stringify(summary) });
}
