// @ts-check

/**
 * Discovery trusts the file, not every cell: a value a parser cannot read (or one the text and
 * secret screen refuses) becomes unknown for that field, and the run records a warning with
 * where (row, line or record), the field and why, never the value.
 *
 * Each run keeps its warning count and its first warnings (at most 100), as JSON beside the
 * run's other figures rather than in a table of their own: they are written once, with the
 * run's outcome, and read only with their run (source health shows the latest runs), never
 * searched across runs. Only the latest runs of a source keep their list; older runs keep
 * the count.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('nhi_discovery_runs', table => {
    table
      .integer('warning_count')
      .notNullable()
      .defaultTo(0)
      .comment('cells read as unknown, and fields dropped by the screen');
    table
      .text('warnings')
      .nullable()
      .comment(
        'JSON: the first warnings, each {location, field, reason}; never a value of the file',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('nhi_discovery_runs', table => {
    table.dropColumn('warnings');
    table.dropColumn('warning_count');
  });
};
