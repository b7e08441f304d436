// @ts-check

/**
 * Usage logs are aggregated before they are written: a run adds counts per identity, day,
 * address, user agent and outcome, not a row per record. What makes a second read count
 * nothing is then this checkpoint: per source and object (a file, or an object of a log
 * tree), how many of its records are counted, saved in the same transaction as their counts.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('nhi_usage_checkpoints', table => {
    table.comment('How far each usage log object has been counted');
    table.string('source_id', 255).notNullable();
    table
      .string('object', 1024)
      .notNullable()
      .comment('the file or URL, or the key of an object in a log tree');
    table
      .string('first_record', 64)
      .notNullable()
      .comment('digest of its first record: a replaced file starts again');
    table.bigInteger('records').notNullable().comment('records counted');
    table.boolean('complete').notNullable().defaultTo(false);
    table.string('updated_at', 32).notNullable();
    table.primary(['source_id', 'object']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('nhi_usage_checkpoints');
};
