// @ts-check

/**
 * Single flight across replicas. Several backends share one database; a job that reads or
 * rewrites much at once (a discovery run, an evidence export, a catalog sync with its
 * recompute, a campaign sweep) must run on one of them at a time, whether the scheduler or a
 * route started it. A job holds a lease row while it runs: taken with one conditional upsert,
 * renewed while the job runs, and given back when it ends. A replica that dies lets its lease
 * lapse at `expires_at`, so a crash never blocks a job for good.
 *
 * A table rather than PostgreSQL's advisory locks: it works the same on SQLite, and the
 * holder and its start are there for the 409 to name and for an operator to read.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('nhi_job_leases', table => {
    table.comment(
      'Jobs running now, one row each, on whichever replica holds it',
    );
    table.string('job', 255).primary().comment('e.g. discovery:<source id>');
    table.string('holder', 255).notNullable().comment('random per run');
    table.string('started_at', 32).notNullable().comment('ISO time, UTC');
    table
      .bigInteger('expires_at')
      .notNullable()
      .comment('ms since the epoch; renewed while the job runs');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('nhi_job_leases');
};
