import type { Knex } from 'knex';

/**
 * Some writes are only correct inside the caller's transaction (the ledger head lock, a change
 * and its ledger entry): called on the bare connection they would commit half a change.
 */
export function requireTransaction(db: Knex, operation: string): void {
  if (!db.isTransaction) {
    throw new Error(`${operation} must run inside a transaction`);
  }
}
