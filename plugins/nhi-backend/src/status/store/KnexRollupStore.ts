import type { Knex } from 'knex';
import type { RollupRowWrite } from '../../rollups/rollupFigures';
import { chunks } from '../../database/chunks';
import {
  JSON_ROWS_CHUNK,
  isPostgres,
  jsonRows,
  upsertSelectWhere,
} from '../../database/jsonRows';
import type {
  RollupDimension,
  RollupFigures,
  RollupRow,
  TrendPoint,
} from '@nhi-governance/plugin-nhi-common';
import type { RollupStore } from './RollupStore';
import { requireTransaction } from '../../database/requireTransaction';

const METRICS = [
  'identities',
  'compliant',
  'rotation_overdue',
  'expired',
  'orphaned',
  'dormant',
  'unapproved',
  'high_risk',
] as const;

const ROLLUP_ROW = {
  dimension: 'text',
  key: 'text',
  ...Object.fromEntries(METRICS.map(m => [m, 'integer'])),
} as Record<string, 'text' | 'integer'>;

const toFigures = (r: any): RollupFigures => {
  const identities = Number(r.identities);
  const compliant = Number(r.compliant);
  return {
    identities,
    compliant,
    compliantPct: identities
      ? Math.round((compliant / identities) * 1000) / 10
      : 100,
    rotationOverdue: Number(r.rotation_overdue),
    expired: Number(r.expired),
    orphaned: Number(r.orphaned),
    dormant: Number(r.dormant),
    unapproved: Number(r.unapproved),
    highRisk: Number(r.high_risk),
  };
};

const EMPTY = toFigures({
  identities: 0,
  compliant: 0,
  rotation_overdue: 0,
  expired: 0,
  orphaned: 0,
  dormant: 0,
  unapproved: 0,
  high_risk: 0,
});

/** RollupStore on the plugin's database (SQLite or PostgreSQL). */
export class KnexRollupStore implements RollupStore {
  constructor(private readonly db: Knex) {}

  /** The day's trend point: the current figures, replacing any earlier point of that day. */
  private async copyToHistory(day: string): Promise<void> {
    requireTransaction(this.db, 'copyToHistory');
    const columns = Object.keys(ROLLUP_ROW).join(', ');
    await this.db('nhi_rollup_history').where({ day }).delete();
    await this.db.raw(
      `insert into nhi_rollup_history (day, ${columns}) select ?, ${columns} from nhi_rollups`,
      [day],
    );
  }

  /** Replaces the current figures and the day's history point in one transaction. */
  async replaceRollups(rows: RollupRowWrite[], day: string): Promise<void> {
    await this.db.transaction(async trx => {
      // Two replacements at once (two replicas) must not interleave their deletes and inserts.
      if (isPostgres(trx)) {
        await trx.raw('lock table nhi_rollups in share row exclusive mode');
      }
      await trx('nhi_rollups').delete();
      const columns = Object.keys(ROLLUP_ROW).join(', ');
      for (const batch of chunks(rows, JSON_ROWS_CHUNK)) {
        await trx.raw(
          `insert into nhi_rollups (${columns}) select ${columns} from ?`,
          [jsonRows(trx, ROLLUP_ROW, batch)],
        );
      }
      await new KnexRollupStore(trx).copyToHistory(day);
    });
  }

  /** Records the day's trend point from the current figures. */
  async recordRollupHistory(day: string): Promise<void> {
    await this.db.transaction(trx =>
      new KnexRollupStore(trx).copyToHistory(day),
    );
  }

  /**
   * Moves the current figures by differences, inside the caller's transaction; the history
   * point of the day is rewritten by the next full recompute.
   */
  async adjustRollups(differences: RollupRowWrite[]): Promise<void> {
    requireTransaction(this.db, 'adjustRollups');
    const columns = Object.keys(ROLLUP_ROW).join(', ');
    const where = upsertSelectWhere(this.db);
    for (const batch of chunks(differences, JSON_ROWS_CHUNK)) {
      await this.db.raw(
        `insert into nhi_rollups (${columns}) select ${columns} from ? ${where}
         on conflict (dimension, key) do update set ${METRICS.map(
           m => `${m} = nhi_rollups.${m} + excluded.${m}`,
         ).join(', ')}`,
        [jsonRows(this.db, ROLLUP_ROW, batch)],
      );
    }
    if (differences.length > 0)
      await this.db('nhi_rollups').where('identities', '<=', 0).delete();
  }

  async readRollups(
    dimension: RollupDimension,
  ): Promise<{ rows: RollupRow[]; total: RollupFigures }> {
    const rows = await this.db('nhi_rollups')
      .where({ dimension })
      .orderBy([
        { column: 'identities', order: 'desc' },
        { column: 'key', order: 'asc' },
      ]);
    const total = await this.db('nhi_rollups')
      .where({ dimension: 'all' })
      .first();
    return {
      rows: rows.map(r => ({ key: r.key, ...toFigures(r) })),
      total: total ? toFigures(total) : EMPTY,
    };
  }

  async readTrend(
    dimension: RollupDimension,
    key: string,
    fromDay: string,
  ): Promise<TrendPoint[]> {
    const rows = await this.db('nhi_rollup_history')
      .where({ dimension, key })
      .andWhere('day', '>=', fromDay)
      .orderBy('day');
    return rows.map(r => ({ day: r.day, ...toFigures(r) }));
  }
}
