// @ts-check

/**
 * What events say about each identity, kept up to date by ingest in a narrow table of its own
 * (a busy collector rewrites these rows constantly; the wide identity rows stay put), so that
 * a recompute reads one join instead of querying the event tables for every page. On the
 * identity: what its status was computed from and until when it holds, so that a recompute
 * skips identities where neither changed. And no index on removed_at, which misled SQLite's
 * planner.
 *
 * Facts are filled in from the events already stored.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('nhi_identities', table => {
    // Nearly every row is present, so this index selects nothing; without statistics SQLite
    // still preferred it to the primary key and sorted the whole table for every page.
    table.dropIndex(['removed_at'], 'nhi_identities_removed_idx');
    // Lists filter by review status too.
    table.index(['review_status'], 'nhi_identities_review_idx');
    // Covers the search for credentials declared in several environments, which every full
    // recompute runs over the whole table, and still serves lookups by provider + externalId.
    table.dropIndex(['provider', 'external_id'], 'nhi_identities_external_idx');
    table.index(
      ['provider', 'external_id', 'environment'],
      'nhi_identities_credential_idx',
    );
    table
      .string('status_inputs', 64)
      .nullable()
      .comment('digest of everything the status was computed from');
    table
      .string('status_valid_until', 32)
      .nullable()
      .comment('when time alone could next change the status');
    table
      .text('finding_codes')
      .nullable()
      .comment('open finding codes, comma-separated, for rollups');
  });

  await knex.schema.createTable('nhi_identity_facts', table => {
    table.comment('The latest of each kind of event per identity');
    table
      .string('identity_ref', 255)
      .primary()
      .references('ref')
      .inTable('nhi_identities')
      .onDelete('CASCADE');
    table.string('last_used_at', 32).nullable();
    table
      .string('last_rotation_event_at', 32)
      .nullable()
      .comment('latest issued or rotated event');
    table.string('last_revoked_at', 32).nullable();
    table.string('last_expired_event_at', 32).nullable();
    table.string('last_login_at', 32).nullable().comment('interactive login');
    table.string('last_auth_failure_day', 10).nullable();
  });

  if (knex.client.config.client === 'pg') {
    // Room in each page for the new version of a row, so that updates that change no indexed
    // column happen in place (HOT) instead of adding an entry to every index.
    await knex.raw('alter table nhi_identities set (fillfactor = 80)');
  }

  const latestEvent = (/** @type {string[]} */ types) =>
    knex('nhi_events')
      .max('occurred_at')
      .whereRaw('nhi_events.identity_ref = nhi_identities.ref')
      .whereIn('type', types);
  await knex
    .insert(
      knex('nhi_identities')
        .select({
          identity_ref: 'ref',
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
        })
        .whereIn(
          'ref',
          knex('nhi_events')
            .select('identity_ref')
            .union(knex('nhi_usage_daily').select('identity_ref')),
        ),
    )
    .into(
      knex.raw(
        '?? (identity_ref, last_used_at, last_auth_failure_day, last_rotation_event_at, last_revoked_at, last_expired_event_at, last_login_at)',
        ['nhi_identity_facts'],
      ),
    );
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  if (knex.client.config.client === 'pg') {
    await knex.raw('alter table nhi_identities reset (fillfactor)');
  }
  await knex.schema.dropTable('nhi_identity_facts');
  await knex.schema.alterTable('nhi_identities', table => {
    table.dropColumn('status_inputs');
    table.dropColumn('status_valid_until');
    table.dropColumn('finding_codes');
    table.dropIndex(['review_status'], 'nhi_identities_review_idx');
    table.dropIndex(
      ['provider', 'external_id', 'environment'],
      'nhi_identities_credential_idx',
    );
    table.index(['provider', 'external_id'], 'nhi_identities_external_idx');
    table.index(['removed_at'], 'nhi_identities_removed_idx');
  });
};
