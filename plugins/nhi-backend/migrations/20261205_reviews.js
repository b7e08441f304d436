// @ts-check

/**
 * Recertification: campaigns, their review items and every version of every decision, the
 * remediation that a revoke or reduce-scope asks for, exception requests, the security queue's
 * approvals, and per identity the summary of all of these that the status engine reads
 * (nhi_identity_governance), kept in step by the same transactions.
 *
 * Decisions and approvals are only ever inserted: a changed decision is a new version.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('nhi_campaigns', table => {
    table.comment('Recertification campaigns');
    table.string('id', 36).primary();
    table.string('period', 64).notNullable().comment('e.g. 2026-Q4');
    table.text('scope').notNullable().comment('JSON CampaignScope');
    table.string('status', 16).notNullable();
    table.string('origin', 16).notNullable().comment('schedule or manual');
    table
      .string('schedule_key', 64)
      .nullable()
      .unique()
      .comment(
        'the period of a scheduled campaign: one per period, whichever replica starts it',
      );
    table.string('due_at', 32).notNullable();
    table.string('created_at', 32).notNullable();
    table.string('created_by', 255).notNullable();
    table.string('opened_at', 32).nullable();
    table.string('closed_at', 32).nullable();
    table.string('cancelled_at', 32).nullable();
    table
      .string('reminded_at', 32)
      .nullable()
      .comment('when the reminder before the due date went out');
    table.index(['status'], 'nhi_campaigns_status_idx');
  });

  await knex.schema.createTable('nhi_review_items', table => {
    table.comment('One identity to recertify in one campaign');
    table.string('id', 36).primary();
    table
      .string('campaign_id', 36)
      .notNullable()
      .references('id')
      .inTable('nhi_campaigns');
    table.string('identity_ref', 255).notNullable();
    table
      .string('assignee', 255)
      .notNullable()
      .comment('the deciding group or user');
    table.string('backup_owner', 255).nullable();
    table
      .string('approved_by', 255)
      .nullable()
      .comment('who approved the identity, for separation of duties');
    table.string('due_at', 32).notNullable();
    table.string('state', 32).notNullable();
    table.boolean('new_since_last').notNullable();
    table.text('snapshot').notNullable().comment('JSON ReviewSnapshot');
    table.string('snapshot_hash', 64).notNullable();
    table
      .integer('version')
      .notNullable()
      .comment('the current decision version, 0 for none');
    table.string('decision', 16).nullable();
    table.string('decided_by', 255).nullable();
    table.string('decided_at', 32).nullable();
    table.string('escalated_at', 32).nullable();
    table.string('escalation_reason', 16).nullable();
    table.string('reassign_to', 255).nullable();
    table
      .string('overdue_handled_at', 32)
      .nullable()
      .comment('when the non-response action was taken');
    table.string('overdue_action', 32).nullable();
    table.unique(['campaign_id', 'identity_ref'], {
      indexName: 'nhi_review_items_identity_uq',
    });
    table.index(['assignee', 'state'], 'nhi_review_items_assignee_idx');
    table.index(['identity_ref'], 'nhi_review_items_identity_idx');
  });

  await knex.schema.createTable('nhi_review_decisions', table => {
    table.comment('Every version of every decision, never updated');
    table
      .string('item_id', 36)
      .notNullable()
      .references('id')
      .inTable('nhi_review_items');
    table.integer('version').notNullable();
    table.string('decision', 16).notNullable();
    table.text('justification').notNullable();
    table
      .text('details')
      .nullable()
      .comment('JSON: scopes to remove, reassign to, acknowledgements');
    table.string('decided_by', 255).notNullable();
    table.string('decided_at', 32).notNullable();
    table.string('batch_id', 36).nullable();
    table.primary(['item_id', 'version']);
  });

  await knex.schema.createTable('nhi_remediations', table => {
    table.comment('Work a revoke or reduce-scope decision asks for');
    table.string('id', 36).primary();
    table.string('item_id', 36).notNullable();
    table.string('identity_ref', 255).notNullable();
    table.string('kind', 16).notNullable();
    table.text('scopes_to_remove').nullable();
    table.string('opened_at', 32).notNullable();
    table.string('due_at', 32).notNullable();
    table.string('closed_at', 32).nullable();
    table.text('closed_by').nullable();
    table.index(['identity_ref'], 'nhi_remediations_identity_idx');
    table.index(['closed_at'], 'nhi_remediations_open_idx');
  });

  await knex.schema.createTable('nhi_exceptions', table => {
    table.comment('Requests to keep a finding open on purpose, for a time');
    table.string('id', 36).primary();
    table.string('identity_ref', 255).notNullable();
    table.string('finding', 32).notNullable();
    table.text('justification').notNullable();
    table.text('compensating_controls').notNullable();
    table.string('expires_at', 32).notNullable();
    table.string('requested_by', 255).notNullable();
    table.string('requested_at', 32).notNullable();
    table.string('status', 16).notNullable();
    table.string('decided_by', 255).nullable();
    table.string('decided_at', 32).nullable();
    table.text('decision_reason').nullable();
    table.string('expiry_noticed_at', 32).nullable();
    table.index(['identity_ref'], 'nhi_exceptions_identity_idx');
    table.index(['status'], 'nhi_exceptions_status_idx');
  });

  await knex.schema.createTable('nhi_approvals', table => {
    table.comment('Decisions of the security queue on new identities (CC6.2)');
    table.string('id', 36).primary();
    table.string('identity_ref', 255).notNullable();
    table.string('decision', 16).notNullable();
    table.string('decided_by', 255).notNullable();
    table.string('decided_at', 32).notNullable();
    table.string('ticket', 255).nullable();
    table.text('reason').notNullable();
    table.index(['identity_ref', 'decided_at'], 'nhi_approvals_identity_idx');
  });

  await knex.schema.createTable('nhi_identity_governance', table => {
    table.comment(
      'What reviews, exceptions and approvals say of each identity, for the engine',
    );
    table.string('identity_ref', 255).primary();
    table.text('facts').notNullable().comment('JSON GovernanceFacts');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const name of [
    'nhi_identity_governance',
    'nhi_approvals',
    'nhi_exceptions',
    'nhi_remediations',
    'nhi_review_decisions',
    'nhi_review_items',
    'nhi_campaigns',
  ]) {
    await knex.schema.dropTable(name);
  }
};
