// @ts-check

/** @param {import('knex').Knex} knex */
const isPostgres = knex =>
  /^(pg|postgres)/.test(String(knex.client.config.client));

const TABLES = [
  'nhi_usage_daily',
  'nhi_rolled_up_event_ids',
  'nhi_identity_facts',
];

/**
 * Every ingested event writes a row of each of these tables, so each should be one B-tree:
 *
 * - the day index on daily usage served no query (usage is read by identity), and is dropped;
 * - on SQLite the three tables become WITHOUT ROWID tables, stored in their primary key order,
 *   so that an insert writes one B-tree instead of a table and its primary key index;
 * - on PostgreSQL the idempotency keys' day, which only the daily prune reads, gets a BRIN
 *   index (keys arrive in day order, so a few pages summarise millions of rows) instead of a
 *   B-tree that every insert had to update; and the rows that ingest keeps updating (facts,
 *   today's usage) leave room in their pages, so an update stays in place (HOT) without new
 *   index entries. The facts' foreign key goes: identities are never deleted (they are kept,
 *   marked removed), ingest resolves every ref first, and the check cost each new row a
 *   trigger and a share lock on the wide identity row, which a recompute writing that
 *   identity's status then waited for.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('nhi_usage_daily', table => {
    table.dropIndex(['day'], 'nhi_usage_daily_day_idx');
  });
  await rebuildSqliteTables(knex, true);
  if (isPostgres(knex)) {
    await knex.schema.alterTable('nhi_rolled_up_event_ids', table => {
      table.dropIndex(['day'], 'nhi_rolled_up_event_ids_day_idx');
    });
    await knex.raw(
      'create index nhi_rolled_up_event_ids_day_brin on nhi_rolled_up_event_ids using brin (day)',
    );
    await knex.schema.alterTable('nhi_identity_facts', table => {
      table.dropForeign(['identity_ref']);
    });
    await knex.raw('alter table nhi_identity_facts set (fillfactor = 70)');
    await knex.raw('alter table nhi_usage_daily set (fillfactor = 80)');
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  if (isPostgres(knex)) {
    await knex.raw('alter table nhi_usage_daily reset (fillfactor)');
    await knex.raw('alter table nhi_identity_facts reset (fillfactor)');
    await knex.schema.alterTable('nhi_identity_facts', table => {
      table
        .foreign('identity_ref')
        .references('ref')
        .inTable('nhi_identities')
        .onDelete('CASCADE');
    });
    await knex.raw('drop index nhi_rolled_up_event_ids_day_brin');
    await knex.schema.alterTable('nhi_rolled_up_event_ids', table => {
      table.index(['day'], 'nhi_rolled_up_event_ids_day_idx');
    });
  }
  await rebuildSqliteTables(knex, false);
  await knex.schema.alterTable('nhi_usage_daily', table => {
    table.index(['day'], 'nhi_usage_daily_day_idx');
  });
};

/**
 * Rebuilds each table from its own definition, with or without WITHOUT ROWID, keeping its rows
 * and indexes (SQLite cannot alter that in place).
 *
 * @param {import('knex').Knex} knex
 * @param {boolean} withoutRowid
 */
async function rebuildSqliteTables(knex, withoutRowid) {
  if (isPostgres(knex)) return;
  for (const table of TABLES) {
    /** @type {Array<{ type: string, sql: string }>} */
    const definitions = await knex('sqlite_master')
      .where({ tbl_name: table })
      .whereNotNull('sql')
      .select('type', 'sql');
    const create = definitions.find(d => d.type === 'table');
    if (!create) throw new Error(`${table}: no definition in sqlite_master`);
    const body = create.sql
      .replace(/\s*without rowid\s*$/i, '')
      // The name is quoted with backticks as created, with double quotes once renamed.
      .replace(
        /^create table\s+[`"]?\w+[`"]?/i,
        `create table \`${table}_rebuilt\``,
      );
    await knex.raw(withoutRowid ? `${body} without rowid` : body);
    await knex.raw(
      `insert into \`${table}_rebuilt\` select * from \`${table}\``,
    );
    await knex.schema.dropTable(table);
    await knex.raw(`alter table \`${table}_rebuilt\` rename to \`${table}\``);
    for (const index of definitions.filter(d => d.type === 'index')) {
      await knex.raw(index.sql);
    }
  }
}
