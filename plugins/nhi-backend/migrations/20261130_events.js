// @ts-check

/**
 * What identities did: lifecycle events kept one by one, and usage rolled up per identity per
 * day so that a year of traffic stays small.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('nhi_events', table => {
    table.comment(
      'Lifecycle events (issued, rotated, revoked, expired) and interactive logins',
    );
    table
      .string('id', 128)
      .primary()
      .comment('the caller-supplied idempotency key');
    table.string('identity_ref', 255).notNullable();
    table.string('type', 24).notNullable();
    table.string('occurred_at', 32).notNullable();
    table.string('received_at', 32).notNullable();
    table
      .text('attributes')
      .notNullable()
      .comment('JSON: source IP, region, user agent, actor');
    table.index(['identity_ref', 'occurred_at'], 'nhi_events_identity_idx');
    table.index(['type', 'occurred_at'], 'nhi_events_type_idx');
  });

  await knex.schema.createTable('nhi_usage_daily', table => {
    table.comment('Uses and failed authentications per identity per day');
    table.string('identity_ref', 255).notNullable();
    table.string('day', 10).notNullable().comment('YYYY-MM-DD, UTC');
    table.bigInteger('uses').notNullable().defaultTo(0);
    table.bigInteger('auth_failures').notNullable().defaultTo(0);
    table.string('last_used_at', 32).nullable();
    table
      .text('sources')
      .notNullable()
      .comment('JSON: distinct source IPs, regions, user agents (capped)');
    table.primary(['identity_ref', 'day']);
    table.index(['day'], 'nhi_usage_daily_day_idx');
  });

  await knex.schema.createTable('nhi_rolled_up_event_ids', table => {
    table.comment(
      'Idempotency keys of rolled-up events (used, auth-failed), kept for the replay window',
    );
    table.string('id', 128).primary();
    table.string('day', 10).notNullable();
    table.index(['day'], 'nhi_rolled_up_event_ids_day_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('nhi_rolled_up_event_ids');
  await knex.schema.dropTable('nhi_usage_daily');
  await knex.schema.dropTable('nhi_events');
};
