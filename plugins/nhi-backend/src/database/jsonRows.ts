import type { Knex } from 'knex';

export type ColumnType = 'text' | 'integer' | 'boolean';

/** How many rows one JSON parameter carries: large enough to amortise a statement. */
export const JSON_ROWS_CHUNK = 5000;

export const isPostgres = (knex: Knex) =>
  /^(pg|postgres)/.test(String(knex.client.config.client));

const PG_TYPES: Record<ColumnType, string> = {
  text: 'text',
  integer: 'bigint',
  boolean: 'boolean',
};

/**
 * A derived table `alias` whose rows arrive as one JSON parameter. Bulk writes bind one value
 * per statement instead of one per cell, so a statement can carry thousands of rows on both
 * databases (SQLite's variable limit and PostgreSQL's 65535 parameters do not apply), and
 * `UPDATE … FROM`, `INSERT … SELECT` and `DELETE … WHERE (a, b) IN` read the same rows.
 */
export function jsonRows(
  knex: Knex,
  columns: Record<string, ColumnType>,
  rows: object[],
  alias = 'v',
): Knex.Raw {
  const names = Object.keys(columns);
  const json = JSON.stringify(rows);
  if (isPostgres(knex)) {
    const defs = names.map(n => `${n} ${PG_TYPES[columns[n]]}`).join(', ');
    return knex.raw(`json_to_recordset(?::json) as ${alias}(${defs})`, [json]);
  }
  const select = names
    .map(n => `json_extract(value, '$.${n}') as ${n}`)
    .join(', ');
  return knex.raw(`(select ${select} from json_each(?)) as ${alias}`, [json]);
}

/**
 * What goes between `INSERT … SELECT … FROM ?` and `ON CONFLICT`: SQLite needs a WHERE there
 * to tell an upsert's SELECT from a join; PostgreSQL needs nothing.
 */
export const upsertSelectWhere = (knex: Knex) =>
  isPostgres(knex) ? '' : 'where true';

/** knex.raw answers rows on SQLite and `{ rows }` on PostgreSQL. */
export const rowsOf = (result: any): any[] =>
  Array.isArray(result) ? result : result.rows;
