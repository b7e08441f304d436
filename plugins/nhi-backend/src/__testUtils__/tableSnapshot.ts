import { createHash } from 'crypto';
import type { Knex } from 'knex';

/** Each table of the plugin's database and a hash of its rows, order aside. */
export type TableSnapshot = Map<string, string>;

async function tableNames(knex: Knex): Promise<string[]> {
  const client = String(knex.client.config.client);
  if (client.includes('sqlite')) {
    const rows = await knex('sqlite_master')
      .where('type', 'table')
      .andWhere('name', 'not like', 'sqlite_%')
      .select('name');
    return rows.map(r => r.name).sort();
  }
  const rows = await knex('information_schema.tables')
    .whereRaw('table_schema = current_schema()')
    .andWhere('table_type', 'BASE TABLE')
    .select('table_name');
  return rows.map(r => r.table_name).sort();
}

/**
 * Every table's content as a hash. Rows are compared as sorted JSON, since a database may
 * return them in another physical order after an update that changed nothing.
 */
export async function snapshotTables(knex: Knex): Promise<TableSnapshot> {
  const snapshot: TableSnapshot = new Map();
  for (const table of await tableNames(knex)) {
    if (table === 'knex_migrations_lock') continue;
    const rows = (await knex(table).select()).map(row => JSON.stringify(row));
    rows.sort();
    snapshot.set(
      table,
      `${rows.length}:${createHash('sha256')
        .update(rows.join('\n'))
        .digest('hex')}`,
    );
  }
  return snapshot;
}

/** The tables whose content differs between two snapshots. */
export function changedTables(
  before: TableSnapshot,
  after: TableSnapshot,
): string[] {
  return [...new Set([...before.keys(), ...after.keys()])].filter(
    table => before.get(table) !== after.get(table),
  );
}

/**
 * Waits until no background work (a recompute queued by an accepted request) changes any table
 * for `quietMs`, and returns that snapshot.
 */
export async function settledSnapshot(
  knex: Knex,
  { quietMs = 100, timeoutMs = 10_000 } = {},
): Promise<TableSnapshot> {
  const deadline = Date.now() + timeoutMs;
  let last = await snapshotTables(knex);
  for (;;) {
    await new Promise(r => setTimeout(r, quietMs));
    const next = await snapshotTables(knex);
    if (changedTables(last, next).length === 0 || Date.now() > deadline) {
      return next;
    }
    last = next;
  }
}
