// @ts-check

/**
 * The evidence package lists lifecycle events type by type in time order, a page at a time:
 * with the id in the index, each page continues the index where the last one ended instead of
 * sorting the period's events again.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('nhi_events', table => {
    table.dropIndex(['type', 'occurred_at'], 'nhi_events_type_idx');
    table.index(['type', 'occurred_at', 'id'], 'nhi_events_type_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('nhi_events', table => {
    table.dropIndex(['type', 'occurred_at', 'id'], 'nhi_events_type_idx');
    table.index(['type', 'occurred_at'], 'nhi_events_type_idx');
  });
};
