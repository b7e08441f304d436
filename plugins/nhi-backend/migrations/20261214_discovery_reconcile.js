// @ts-check

/**
 * Reconciliation: what each discovery source says about each identity (declared or
 * discovered), and the usage detail that anomalies are measured against.
 *
 * nhi_identity_sources holds one row per identity and source, written from the source's last
 * good read only: the dates and last use the source gives, where the declaration disagrees,
 * whether the source still lists the identity, the findings the source proves, and leaks.
 *
 * nhi_usage_daily gains the distinct addresses and regions of each day and the hours of the
 * day (a 24-bit mask, UTC) in which the identity was used: the baseline of its anomalies.
 * nhi_identity_facts keeps the unusual days found when usage last arrived.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  // Discovered identities name their source: discovery:<source id>, up to 74 characters.
  // SQLite does not enforce the length of a string column.
  if (isPostgres(knex)) {
    await knex.schema.alterTable('nhi_identities', table => {
      table.string('source', 80).notNullable().alter();
    });
  }
  await knex.schema.createTable('nhi_identity_sources', table => {
    table.comment('What each discovery source says about each identity');
    table.string('identity_ref', 255).notNullable();
    table.string('source_id', 64).notNullable();
    table
      .string('principal', 512)
      .nullable()
      .comment('who the credential authenticates as, to attribute usage logs');
    table
      .text('facts')
      .notNullable()
      .comment('JSON IdentitySourceFacts; never a secret');
    table.primary(['identity_ref', 'source_id']);
    table.index(['source_id'], 'nhi_identity_sources_source_idx');
    table.index(['principal'], 'nhi_identity_sources_principal_idx');
  });
  await knex.schema.alterTable('nhi_discovery_sources', table => {
    table
      .text('summary')
      .nullable()
      .comment('JSON: what the last good read matched, discovered and missed');
    table
      .string('usage_until', 32)
      .nullable()
      .comment(
        'usage logs: the latest record read, so old records are not counted again',
      );
  });
  await knex.schema.alterTable('nhi_usage_daily', table => {
    table
      .text('addresses')
      .nullable()
      .comment('JSON: distinct addresses, capped');
    table.text('regions').nullable().comment('JSON: distinct regions, capped');
    table
      .integer('hours')
      .notNullable()
      .defaultTo(0)
      .comment('bit h set: used in hour h (UTC) of the day');
  });
  await knex.schema.alterTable('nhi_identity_facts', table => {
    table
      .text('anomalies')
      .nullable()
      .comment('JSON: recent days of unusual use, measured when usage arrived');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('nhi_identity_facts', table => {
    table.dropColumn('anomalies');
  });
  await knex.schema.alterTable('nhi_usage_daily', table => {
    table.dropColumn('hours');
    table.dropColumn('regions');
    table.dropColumn('addresses');
  });
  await knex.schema.alterTable('nhi_discovery_sources', table => {
    table.dropColumn('usage_until');
    table.dropColumn('summary');
  });
  await knex.schema.dropTable('nhi_identity_sources');
  if (isPostgres(knex)) {
    await knex('nhi_identities')
      .where('source', 'like', 'discovery:%')
      .update({ source: 'discovery' });
    await knex.schema.alterTable('nhi_identities', table => {
      table.string('source', 16).notNullable().alter();
    });
  }
};

/** @param {import('knex').Knex} knex */
function isPostgres(knex) {
  return /^(pg|postgres)/.test(String(knex.client.config.client));
}
