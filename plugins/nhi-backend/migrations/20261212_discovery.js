// @ts-check

/**
 * Discovery: the sources read on a schedule (cloud credential reports, cluster exports, usage
 * logs, leak scans), a log of every run, and what the last good run of each source listed.
 *
 * A run writes its credentials under its own run id and only becomes the source's good run
 * once the whole file was read. A failed or partial run is deleted, and the previous good
 * run stays. So a bad file never removes an identity, and readers never see half a file.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('nhi_discovery_sources', table => {
    table.comment('Each configured discovery source and how its last run went');
    table.string('id', 64).primary();
    table.string('format', 48).notNullable();
    table.text('location').notNullable().comment('a file path or a URL');
    table
      .integer('good_run_id')
      .nullable()
      .comment('the last run that read the whole file');
    table.string('last_run_at', 32).nullable();
    table.string('last_status', 16).nullable();
    table.text('last_error').nullable();
    table.string('last_success_at', 32).nullable();
  });

  await knex.schema.createTable('nhi_discovery_runs', table => {
    table.comment('Every read of a discovery source, kept as a log');
    table.increments('id').primary();
    table.string('source_id', 64).notNullable();
    table.string('started_at', 32).notNullable();
    table.string('finished_at', 32).nullable();
    table.string('status', 16).notNullable().comment('running, ok or failed');
    table.integer('rows_read').notNullable().defaultTo(0);
    table.integer('credentials').notNullable().defaultTo(0);
    table.text('error').nullable();
    table.index(['source_id', 'id'], 'nhi_discovery_runs_source_idx');
  });

  await knex.schema.createTable('nhi_discovered_credentials', table => {
    table.comment(
      'Credentials a source listed, by run: only the good run of each source is current',
    );
    table.integer('run_id').notNullable();
    table.string('source_id', 64).notNullable();
    table.string('provider', 16).notNullable();
    table.string('external_id', 512).notNullable();
    table.string('kind', 32).notNullable();
    table.string('principal', 512).notNullable();
    table.boolean('active').notNullable();
    table
      .text('details')
      .notNullable()
      .comment('JSON: dates, scopes, owner hint, findings; never a secret');
    table.primary(['run_id', 'provider', 'external_id']);
    table.index(['provider', 'external_id'], 'nhi_discovered_external_idx');
    table.index(['source_id', 'run_id'], 'nhi_discovered_source_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('nhi_discovered_credentials');
  await knex.schema.dropTable('nhi_discovery_runs');
  await knex.schema.dropTable('nhi_discovery_sources');
};
