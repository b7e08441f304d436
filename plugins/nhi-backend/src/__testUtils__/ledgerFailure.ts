import type { Knex } from 'knex';

/**
 * Makes the next ledger append fail, the way a concurrent writer or a broken database would:
 * a stray row takes the next sequence number, so the append's insert violates the primary key.
 * Returns a function that removes the stray row again.
 */
export async function blockNextLedgerWrite(
  knex: Knex,
): Promise<() => Promise<void>> {
  const head = await knex('nhi_ledger_head').where({ id: 1 }).first();
  const seq = Number(head.seq) + 1;
  await knex('nhi_ledger').insert({
    seq,
    recorded_at: '1970-01-01T00:00:00.000Z',
    kind: 'test.blocker',
    subject: null,
    payload: '{}',
    prev_hash: head.hash,
    hash: 'f'.repeat(64),
  });
  return async () => {
    await knex('nhi_ledger').where({ seq, kind: 'test.blocker' }).delete();
  };
}
