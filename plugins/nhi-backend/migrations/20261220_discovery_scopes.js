// @ts-check

/**
 * Connectors that read several accounts, tenants or clusters in one run. Each credential keeps
 * the scope it was read from, so that a scope that fails can keep the credentials of its last
 * good read while the others update; each run keeps how every scope went, for the Discovery tab.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('nhi_discovered_credentials', table => {
    table
      .string('scope', 255)
      .nullable()
      .comment('account, tenant or cluster the connector read it from');
  });
  await knex.schema.alterTable('nhi_discovery_runs', table => {
    table
      .text('scopes')
      .nullable()
      .comment(
        'JSON: how each scope went (status, error, credentials, kept from)',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('nhi_discovery_runs', table => {
    table.dropColumn('scopes');
  });
  await knex.schema.alterTable('nhi_discovered_credentials', table => {
    table.dropColumn('scope');
  });
};
