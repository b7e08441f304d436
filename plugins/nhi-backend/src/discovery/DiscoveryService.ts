import type { Knex } from 'knex';
import type { DiscoverySourceHealth } from '@nhi-governance/plugin-nhi-common';
import { readRuns, readSources } from '../database/discoveryTables';

const RUNS_SHOWN = 5;

/** What discovery knows of its sources, for the source-health panel. */
export class DiscoveryService {
  constructor(private readonly knex: Knex) {}

  async sourceHealth(): Promise<DiscoverySourceHealth[]> {
    const sources = await readSources(this.knex);
    return Promise.all(
      sources.map(async s => {
        const runs = await readRuns(this.knex, s.id, RUNS_SHOWN);
        const good = s.good_run_id
          ? runs.find(r => r.id === s.good_run_id) ??
            (await this.knex('nhi_discovery_runs')
              .where('id', s.good_run_id)
              .first())
          : undefined;
        return {
          id: s.id,
          format: s.format,
          location: s.location,
          ...(s.last_status
            ? { lastStatus: s.last_status as 'ok' | 'failed' }
            : {}),
          ...(s.last_run_at ? { lastRunAt: s.last_run_at } : {}),
          ...(s.last_success_at ? { lastSuccessAt: s.last_success_at } : {}),
          ...(s.last_error ? { lastError: s.last_error } : {}),
          credentials: good ? Number(good.credentials) : 0,
          runs: runs.map(r => ({
            startedAt: r.started_at,
            ...(r.finished_at ? { finishedAt: r.finished_at } : {}),
            status: r.status,
            rowsRead: Number(r.rows_read),
            credentials: Number(r.credentials),
            ...(r.error ? { error: r.error } : {}),
          })),
        };
      }),
    );
  }
}
