import type { Knex } from 'knex';
import type {
  RollupDimension,
  RollupFigures,
  RollupRow,
  TrendPoint,
} from '@nhi-governance/plugin-nhi-common';

// Constants only: these run as they are on SQLite and PostgreSQL.
const hasFinding = (codes: string[]) =>
  `exists (select 1 from nhi_identity_findings f2 where f2.identity_ref = i.ref and f2.code in (${codes
    .map(c => `'${c}'`)
    .join(', ')}))`;

const METRICS = `
  count(*) as identities,
  sum(case when i.compliant then 1 else 0 end) as compliant,
  sum(case when i.rotation_status = 'overdue' then 1 else 0 end) as rotation_overdue,
  sum(case when i.rotation_status = 'expired' then 1 else 0 end) as expired,
  sum(case when ${hasFinding([
    'owner-missing',
    'owner-orphaned',
  ])} then 1 else 0 end) as orphaned,
  sum(case when i.usage_status in ('dormant', 'never-used') then 1 else 0 end) as dormant,
  sum(case when ${hasFinding(['unapproved'])} then 1 else 0 end) as unapproved,
  sum(case when i.risk >= 50 then 1 else 0 end) as high_risk`;

const COLUMNS: Record<Exclude<RollupDimension, 'all' | 'finding'>, string> = {
  owner: 'i.owner',
  system: 'i.system',
  type: 'i.type',
  environment: 'i.environment',
};

type MetricRow = Record<string, string | number | null>;

// knex.raw answers rows on SQLite and { rows } on PostgreSQL.
const rowsOf = (result: any): MetricRow[] =>
  Array.isArray(result) ? result : result.rows;

async function groupBy(
  knex: Knex,
  dimension: RollupDimension,
): Promise<MetricRow[]> {
  if (dimension === 'all') {
    const rows = await knex.raw(
      `select '' as key, ${METRICS} from nhi_identities i where i.removed_at is null`,
    );
    return rowsOf(rows);
  }
  if (dimension === 'finding') {
    return rowsOf(
      await knex.raw(
        `select f.code as key, ${METRICS}
         from nhi_identity_findings f join nhi_identities i on i.ref = f.identity_ref
         where i.removed_at is null group by f.code`,
      ),
    );
  }
  const column = COLUMNS[dimension];
  return rowsOf(
    await knex.raw(
      `select coalesce(${column}, '') as key, ${METRICS}
       from nhi_identities i where i.removed_at is null group by coalesce(${column}, '')`,
    ),
  );
}

const toStored = (dimension: string, r: MetricRow) => ({
  dimension,
  key: String(r.key ?? ''),
  identities: Number(r.identities ?? 0),
  compliant: Number(r.compliant ?? 0),
  rotation_overdue: Number(r.rotation_overdue ?? 0),
  expired: Number(r.expired ?? 0),
  orphaned: Number(r.orphaned ?? 0),
  dormant: Number(r.dormant ?? 0),
  unapproved: Number(r.unapproved ?? 0),
  high_risk: Number(r.high_risk ?? 0),
});

export const ROLLUP_DIMENSION_LIST: RollupDimension[] = [
  'all',
  'owner',
  'system',
  'type',
  'environment',
  'finding',
];

/**
 * Recomputes every rollup from the stored statuses and replaces the current figures and
 * today's history in one transaction.
 */
export async function rebuildRollups(knex: Knex, day: string): Promise<void> {
  const rows: Array<ReturnType<typeof toStored>> = [];
  for (const dimension of ROLLUP_DIMENSION_LIST) {
    for (const r of await groupBy(knex, dimension))
      rows.push(toStored(dimension, r));
  }
  await knex.transaction(async trx => {
    await trx('nhi_rollups').delete();
    await trx('nhi_rollup_history').where({ day }).delete();
    for (let i = 0; i < rows.length; i += 200) {
      const batch = rows.slice(i, i + 200);
      await trx('nhi_rollups').insert(batch);
      await trx('nhi_rollup_history').insert(batch.map(r => ({ day, ...r })));
    }
  });
}

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

export async function readRollups(
  knex: Knex,
  dimension: RollupDimension,
): Promise<{ rows: RollupRow[]; total: RollupFigures }> {
  const rows = await knex('nhi_rollups')
    .where({ dimension })
    .orderBy([
      { column: 'identities', order: 'desc' },
      { column: 'key', order: 'asc' },
    ]);
  const total = await knex('nhi_rollups').where({ dimension: 'all' }).first();
  return {
    rows: rows.map(r => ({ key: r.key, ...toFigures(r) })),
    total: total ? toFigures(total) : EMPTY,
  };
}

export async function readTrend(
  knex: Knex,
  dimension: RollupDimension,
  key: string,
  fromDay: string,
): Promise<TrendPoint[]> {
  const rows = await knex('nhi_rollup_history')
    .where({ dimension, key })
    .andWhere('day', '>=', fromDay)
    .orderBy('day');
  return rows.map(r => ({ day: r.day, ...toFigures(r) }));
}
