import { ConflictError } from '@backstage/errors';
import type { Knex } from 'knex';
import type { DiscoveryStore, RunWarnings } from './DiscoveryStore';
import { carryOverFailedScopes, failedRunOutcomes } from './scopeCarryOver';

// How a run ends, apart from the store's reads: each end is one transaction over the run, its
// credentials and its source.

/** A run that read its whole file. */
export type CompletedRun = Parameters<DiscoveryStore['completeRun']>[0];
/** A run that failed, with its error. */
export type FailedRun = Parameters<DiscoveryStore['failRun']>[0];

/** How many of a source's latest runs keep their list of warnings; older ones keep the count. */
export const RUNS_KEEPING_WARNINGS = 5;

const warningColumns = (warnings: RunWarnings) => ({
  warning_count: warnings.count,
  warnings: warnings.kept.length ? JSON.stringify(warnings.kept) : null,
});

/** The run read the whole file: it becomes the source's state, and the older runs go. */
export async function completeRun(
  db: Knex,
  run: CompletedRun,
): Promise<number> {
  return db.transaction(async trx => {
    const source = trx('nhi_discovery_sources')
      .where('id', run.sourceId)
      .first('good_run_id');
    if (db.client.config.client === 'pg') source.forUpdate();
    const good = (await source)?.good_run_id;
    // Reads of one source never overlap (each holds the source's lease), but should a lapsed
    // lease let them, a later read that already became the state wins: an earlier one
    // finishing after it would otherwise replace it with rows the later read cleared.
    if (good !== null && good !== undefined && Number(good) > run.id) {
      throw new ConflictError(
        `the later read ${good} of this source finished first and is kept`,
      );
    }
    const scopes = run.scopes
      ? await carryOverFailedScopes(
          trx,
          run,
          good === null || good === undefined ? undefined : Number(good),
          run.scopes,
        )
      : undefined;
    const [{ n }] = await trx('nhi_discovered_credentials')
      .where('run_id', run.id)
      .count({ n: '*' });
    // Only earlier reads' rows go: a later read still writing keeps its own.
    await trx('nhi_discovered_credentials')
      .where('source_id', run.sourceId)
      .andWhere('run_id', '<', run.id)
      .delete();
    await trx('nhi_discovery_runs')
      .where('id', run.id)
      .update({
        status: 'ok',
        finished_at: run.at,
        rows_read: run.rows,
        credentials: Number(n),
        ...warningColumns(run.warnings),
        scopes: scopes ? JSON.stringify(scopes) : null,
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
export async function failRun(db: Knex, run: FailedRun): Promise<void> {
  await db.transaction(async trx => {
    await trx('nhi_discovered_credentials').where('run_id', run.id).delete();
    await trx('nhi_discovery_runs')
      .where('id', run.id)
      .update({
        status: 'failed',
        finished_at: run.at,
        rows_read: run.rows,
        error: run.error,
        ...warningColumns(run.warnings),
        scopes: run.scopes
          ? JSON.stringify(failedRunOutcomes(run.scopes))
          : null,
      });
    await forgetOlderWarnings(trx, run.sourceId);
    await trx('nhi_discovery_sources').where('id', run.sourceId).update({
      last_run_at: run.at,
      last_status: 'failed',
      last_error: run.error,
    });
  });
}

/** Lets the runs of a source older than its latest few drop their list of warnings. */
async function forgetOlderWarnings(db: Knex, sourceId: string): Promise<void> {
  const recent = await db('nhi_discovery_runs')
    .where('source_id', sourceId)
    .orderBy('id', 'desc')
    .offset(RUNS_KEEPING_WARNINGS - 1)
    .first('id');
  if (!recent) return;
  await db('nhi_discovery_runs')
    .where('source_id', sourceId)
    .andWhere('id', '<', recent.id)
    .whereNotNull('warnings')
    .update({ warnings: null });
}
