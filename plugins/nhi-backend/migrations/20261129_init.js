// @ts-check

/**
 * The plugin's own tables: the identity population with its computed status, the findings and
 * usages that lists filter on, and the append-only, hash-chained ledger.
 *
 * Timestamps are ISO 8601 UTC strings: they sort as text on every database, and the ledger
 * hashes them exactly as stored.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('nhi_identities', table => {
    table.comment(
      'Every machine identity the plugin governs, declared or discovered',
    );
    table
      .string('ref', 255)
      .primary()
      .comment('machineidentity:namespace/name');
    table.string('namespace', 255).notNullable();
    table.string('name', 255).notNullable();
    table.string('type', 32).notNullable();
    table.string('owner', 255).nullable();
    table.string('backup_owner', 255).nullable();
    table.string('system', 255).nullable();
    table.string('environment', 64).nullable();
    table.string('provider', 64).nullable();
    table.string('external_id', 512).nullable();
    table.text('purpose').nullable();
    table.string('privilege', 8).nullable();
    table.text('scopes').notNullable().comment('JSON array');
    table.text('used_by').notNullable().comment('JSON array of entity refs');
    table
      .text('credential')
      .notNullable()
      .comment('JSON: dates and rotation, never the secret');
    table.text('approval').nullable().comment('JSON');
    table.string('source', 16).notNullable().comment('catalog or discovery');
    table
      .string('spec_hash', 64)
      .notNullable()
      .comment('detects changes on sync');
    table.string('first_seen_at', 32).notNullable();
    table.string('updated_at', 32).notNullable();
    table
      .string('removed_at', 32)
      .nullable()
      .comment('kept for the record once gone');
    table.string('rotation_status', 20).nullable();
    table.string('usage_status', 20).nullable();
    table.string('review_status', 20).nullable();
    table.integer('risk').notNullable().defaultTo(0);
    table.integer('finding_count').notNullable().defaultTo(0);
    table.text('status').nullable().comment('JSON IdentityStatus');
    table.string('status_computed_at', 32).nullable();

    table.index(['owner'], 'nhi_identities_owner_idx');
    table.index(['system'], 'nhi_identities_system_idx');
    table.index(['type'], 'nhi_identities_type_idx');
    table.index(['environment'], 'nhi_identities_environment_idx');
    table.index(['rotation_status'], 'nhi_identities_rotation_idx');
    table.index(['usage_status'], 'nhi_identities_usage_idx');
    table.index(['risk'], 'nhi_identities_risk_idx');
    table.index(['removed_at'], 'nhi_identities_removed_idx');
    table.index(['updated_at'], 'nhi_identities_updated_idx');
    table.index(['provider', 'external_id'], 'nhi_identities_external_idx');
  });

  await knex.schema.createTable('nhi_identity_usages', table => {
    table.comment(
      'Which entities use which identity: the component view of usedBy',
    );
    table
      .string('identity_ref', 255)
      .notNullable()
      .references('ref')
      .inTable('nhi_identities')
      .onDelete('CASCADE');
    table.string('entity_ref', 255).notNullable();
    table.primary(['identity_ref', 'entity_ref']);
    table.index(['entity_ref'], 'nhi_identity_usages_entity_idx');
  });

  await knex.schema.createTable('nhi_identity_findings', table => {
    table.comment(
      'Open findings, one row each, for filters and rollups by finding',
    );
    table
      .string('identity_ref', 255)
      .notNullable()
      .references('ref')
      .inTable('nhi_identities')
      .onDelete('CASCADE');
    table.string('code', 32).notNullable();
    table.string('severity', 8).notNullable();
    table.string('opened_at', 32).notNullable();
    table.primary(['identity_ref', 'code']);
    table.index(['code'], 'nhi_identity_findings_code_idx');
  });

  await knex.schema.createTable('nhi_ledger', table => {
    table.comment('Append-only, hash-chained record of every governance fact');
    table.bigInteger('seq').primary();
    table.string('recorded_at', 32).notNullable();
    table.string('kind', 64).notNullable();
    table.string('subject', 255).nullable();
    table.text('payload').notNullable().comment('canonical JSON');
    table.string('prev_hash', 64).notNullable();
    table.string('hash', 64).notNullable().unique();
    table.index(['subject'], 'nhi_ledger_subject_idx');
    table.index(['kind'], 'nhi_ledger_kind_idx');
  });

  await knex.schema.createTable('nhi_ledger_head', table => {
    table.comment('The one row writers lock to append to the ledger in order');
    table.integer('id').primary();
    table.bigInteger('seq').notNullable();
    table.string('hash', 64).notNullable();
  });
  await knex('nhi_ledger_head').insert({ id: 1, seq: 0, hash: '0'.repeat(64) });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('nhi_ledger_head');
  await knex.schema.dropTable('nhi_ledger');
  await knex.schema.dropTable('nhi_identity_findings');
  await knex.schema.dropTable('nhi_identity_usages');
  await knex.schema.dropTable('nhi_identities');
};
