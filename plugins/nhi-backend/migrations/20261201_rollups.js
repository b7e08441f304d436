// @ts-check

/**
 * Pre-aggregated rollups, so that the org-wide views read a few hundred rows instead of
 * grouping the whole population on every request, and their daily history for trends.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('nhi_identities', table => {
    table
      .boolean('compliant')
      .nullable()
      .comment('no open finding of medium severity or above');
    table.index(['compliant'], 'nhi_identities_compliant_idx');
  });

  const metrics = (
    /** @type {import('knex').Knex.CreateTableBuilder} */ table,
  ) => {
    table
      .string('dimension', 16)
      .notNullable()
      .comment('owner, system, type, environment, finding or all');
    table
      .string('key', 255)
      .notNullable()
      .comment('the owner ref, finding code, …; "" for none');
    table.integer('identities').notNullable();
    table.integer('compliant').notNullable();
    table.integer('rotation_overdue').notNullable();
    table.integer('expired').notNullable();
    table.integer('orphaned').notNullable();
    table.integer('dormant').notNullable();
    table.integer('unapproved').notNullable();
    table.integer('high_risk').notNullable();
  };

  await knex.schema.createTable('nhi_rollups', table => {
    table.comment(
      'Current figures per dimension value, replaced after each full recompute',
    );
    metrics(table);
    table.primary(['dimension', 'key']);
  });

  await knex.schema.createTable('nhi_rollup_history', table => {
    table.comment('The same figures per day, for trends');
    table.string('day', 10).notNullable();
    metrics(table);
    table.primary(['day', 'dimension', 'key']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('nhi_rollup_history');
  await knex.schema.dropTable('nhi_rollups');
  await knex.schema.alterTable('nhi_identities', table => {
    table.dropIndex(['compliant'], 'nhi_identities_compliant_idx');
    table.dropColumn('compliant');
  });
};
