// @ts-check

/**
 * What events say about an identity, kept on its row as ingest applies them, so that a full
 * recompute reads one table instead of querying the event tables for every page; what each
 * status was computed from and until when it holds, so that a recompute skips identities where
 * neither changed; and no index on removed_at, which misled SQLite's planner.
 *
 * Existing rows are filled in from the events already stored.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('nhi_identities', table => {
    // Nearly every row is present, so this index selects nothing; without statistics SQLite
    // still preferred it to the primary key and sorted the whole table for every page.
    table.dropIndex(['removed_at'], 'nhi_identities_removed_idx');
    table.string('last_used_at', 32).nullable();
    table
      .string('last_rotation_event_at', 32)
      .nullable()
      .comment('latest issued or rotated event');
    table.string('last_revoked_at', 32).nullable();
    table.string('last_expired_event_at', 32).nullable();
    table.string('last_login_at', 32).nullable().comment('interactive login');
    table.string('last_auth_failure_day', 10).nullable();
    table
      .string('status_inputs', 64)
      .nullable()
      .comment('digest of everything the status was computed from');
    table
      .text('finding_codes')
      .nullable()
      .comment('open finding codes, comma-separated, for rollups');
    table
      .string('status_valid_until', 32)
      .nullable()
      .comment('when time alone could next change the status');
  });

  if (knex.client.config.client === 'pg') {
    // Room in each page for the new version of a row, so that ingest and recompute, which
    // change no indexed column most of the time, update rows in place (HOT) instead of
    // adding an entry to every index.
    await knex.raw('alter table nhi_identities set (fillfactor = 80)');
  }

  const latestEvent = (/** @type {string[]} */ types) =>
    knex('nhi_events')
      .max('occurred_at')
      .whereRaw('nhi_events.identity_ref = nhi_identities.ref')
      .whereIn('type', types);
  await knex('nhi_identities').update({
    last_used_at: knex('nhi_usage_daily')
      .max('last_used_at')
      .whereRaw('nhi_usage_daily.identity_ref = nhi_identities.ref'),
    last_auth_failure_day: knex('nhi_usage_daily')
      .max('day')
      .where('auth_failures', '>', 0)
      .whereRaw('nhi_usage_daily.identity_ref = nhi_identities.ref'),
    last_rotation_event_at: latestEvent(['issued', 'rotated']),
    last_revoked_at: latestEvent(['revoked']),
    last_expired_event_at: latestEvent(['expired']),
    last_login_at: latestEvent(['interactive-login']),
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  if (knex.client.config.client === 'pg') {
    await knex.raw('alter table nhi_identities reset (fillfactor)');
  }
  await knex.schema.alterTable('nhi_identities', table => {
    table.dropColumn('last_used_at');
    table.dropColumn('last_rotation_event_at');
    table.dropColumn('last_revoked_at');
    table.dropColumn('last_expired_event_at');
    table.dropColumn('last_login_at');
    table.dropColumn('last_auth_failure_day');
    table.dropColumn('status_inputs');
    table.dropColumn('finding_codes');
    table.dropColumn('status_valid_until');
    table.index(['removed_at'], 'nhi_identities_removed_idx');
  });
};
