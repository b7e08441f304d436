import type { Knex } from 'knex';
import type { DiscoveredCredential } from '@nhi-governance/plugin-nhi-common';

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

/** The run read the whole file: it becomes the source's state, and the older runs go. */
export async function completeRun(
  knex: Knex,
  run: { id: number; sourceId: string; rows: number; at: string },
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
      });
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
  },
) {
  await knex.transaction(async trx => {
    await trx('nhi_discovered_credentials').where('run_id', run.id).delete();
    await trx('nhi_discovery_runs').where('id', run.id).update({
      status: 'failed',
      finished_at: run.at,
      rows_read: run.rows,
      error: run.error,
    });
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

/** The latest runs of a source, newest first. */
export async function readRuns(knex: Knex, sourceId: string, limit: number) {
  return knex('nhi_discovery_runs')
    .where('source_id', sourceId)
    .orderBy('id', 'desc')
    .limit(limit);
}

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

/** A page of what the good run of a source listed, in (provider, external id) order. */
export async function currentCredentialsPage(
  knex: Knex,
  sourceId: string,
  page: { after?: { provider: string; externalId: string }; limit: number },
) {
  const source = await knex('nhi_discovery_sources')
    .where('id', sourceId)
    .first('good_run_id');
  if (!source?.good_run_id) return [];
  const query = knex('nhi_discovered_credentials')
    .where('run_id', source.good_run_id)
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

/** Present declared identities of these providers whose external id is one of `ids`. */
export async function declaredIdentitiesByExternalId(
  knex: Knex,
  providers: string[],
  ids: string[],
): Promise<Array<{ ref: string; provider: string; external_id: string }>> {
  if (!providers.length || !ids.length) return [];
  return knex('nhi_identities')
    .whereIn('provider', providers)
    .whereIn('external_id', ids)
    .whereNull('removed_at')
    .select('ref', 'provider', 'external_id');
}
