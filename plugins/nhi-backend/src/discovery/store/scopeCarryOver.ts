import type { Knex } from 'knex';
import type { DiscoveryScopeOutcome } from '@nhi-governance/plugin-nhi-common';
import type { ScopeReport } from './DiscoveryStore';

/**
 * A failed scope keeps what the source's last good run read of it: its rows are copied into
 * this run before the older runs' rows go. Returns how each scope stands after the run, with
 * when a kept scope was last read.
 */
export async function carryOverFailedScopes(
  trx: Knex.Transaction,
  run: { id: number; at: string },
  goodRunId: number | undefined,
  report: ScopeReport,
): Promise<DiscoveryScopeOutcome[]> {
  const previous = goodRunId ? await previousOutcomes(trx, goodRunId) : {};
  const failed = report.failed.map(f => f.scope);
  if (failed.length) {
    // What a scope yielded before it failed is incomplete: its last good read stands instead.
    await trx('nhi_discovered_credentials')
      .where('run_id', run.id)
      .whereIn('scope', failed)
      .delete();
  }
  if (goodRunId && failed.length) {
    // A credential another scope listed in this run already (the same id read twice) is kept
    // as read now, as a file listing it twice keeps its first listing.
    const columns = [
      'source_id',
      'provider',
      'external_id',
      'kind',
      'principal',
      'active',
      'scope',
      'details',
    ];
    await trx.raw(
      `INSERT INTO nhi_discovered_credentials (run_id, ${columns.join(', ')})
       SELECT ?, ${columns.join(', ')} FROM nhi_discovered_credentials
       WHERE run_id = ? AND scope IN (${failed.map(() => '?').join(', ')})
       ON CONFLICT (run_id, provider, external_id) DO NOTHING`,
      [run.id, goodRunId, ...failed],
    );
  }
  const counts = await countsByScope(trx, run.id);
  const read: DiscoveryScopeOutcome[] = report.read.map(scope => ({
    scope,
    status: 'ok',
    credentials: counts.get(scope) ?? 0,
  }));
  const kept: DiscoveryScopeOutcome[] = report.failed.map(
    ({ scope, error }) => {
      const before = previous[scope];
      const keptFrom =
        before?.status === 'ok' ? before.readAt : before?.keptFrom;
      return {
        scope,
        status: 'failed',
        error,
        credentials: counts.get(scope) ?? 0,
        ...(keptFrom ? { keptFrom } : {}),
      };
    },
  );
  return [...read, ...kept].sort((a, b) => a.scope.localeCompare(b.scope));
}

/** How each scope stood after the last good run, and when that run finished. */
async function previousOutcomes(
  trx: Knex.Transaction,
  goodRunId: number,
): Promise<
  Record<string, DiscoveryScopeOutcome & { readAt?: string | undefined }>
> {
  const row = await trx('nhi_discovery_runs')
    .where('id', goodRunId)
    .first('scopes', 'finished_at');
  if (!row?.scopes) return {};
  const outcomes: DiscoveryScopeOutcome[] = JSON.parse(row.scopes);
  return Object.fromEntries(
    outcomes.map(o => [o.scope, { ...o, readAt: row.finished_at }]),
  );
}

async function countsByScope(trx: Knex.Transaction, runId: number) {
  const rows: Array<{ scope: string; n: number | string }> = await trx(
    'nhi_discovered_credentials',
  )
    .where('run_id', runId)
    .whereNotNull('scope')
    .groupBy('scope')
    .select('scope', trx.raw('count(*) as n'));
  return new Map(rows.map(r => [r.scope, Number(r.n)]));
}

/** A failed run's scopes as shown: nothing of this run is kept, so only errors and names. */
export const failedRunOutcomes = (
  report: ScopeReport,
): DiscoveryScopeOutcome[] =>
  [
    ...report.read.map(scope => ({
      scope,
      status: 'ok' as const,
      credentials: 0,
    })),
    ...report.failed.map(({ scope, error }) => ({
      scope,
      status: 'failed' as const,
      error,
      credentials: 0,
    })),
  ].sort((a, b) => a.scope.localeCompare(b.scope));
