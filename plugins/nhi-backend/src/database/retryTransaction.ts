import type { LoggerService } from '@backstage/backend-plugin-api';

/**
 * PostgreSQL's answers that mean "run the transaction again": it chose this one to break a
 * deadlock (40P01), or could not serialise it with a concurrent one (40001). Nothing of it
 * was written.
 */
const RETRYABLE = new Set(['40P01', '40001']);

export const isRetryable = (error: unknown) =>
  RETRYABLE.has((error as { code?: string } | undefined)?.code ?? '');

/** Attempts in all, the first included. */
export const TRANSACTION_ATTEMPTS = 4;

/**
 * Runs a whole transaction again when the database aborted it as a deadlock or serialisation
 * failure, up to TRANSACTION_ATTEMPTS times with a growing, jittered pause, logging each retry.
 * Locks are taken in one order (sorted keys) everywhere, so this is the rare case, not the rule;
 * `transaction` must have no effect outside the database that a second attempt would repeat.
 */
export async function retryTransaction<T>(
  transaction: () => Promise<T>,
  logger?: LoggerService,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (error) {
      if (!isRetryable(error) || attempt >= TRANSACTION_ATTEMPTS) throw error;
      const pauseMs = Math.round(10 * 2 ** attempt * (0.5 + Math.random()));
      logger?.warn(
        `Transaction aborted by the database (${
          (error as { code: string }).code
        }: ${
          (error as Error).message
        }); attempt ${attempt} of ${TRANSACTION_ATTEMPTS}, retrying in ${pauseMs} ms`,
      );
      await new Promise(resolve => setTimeout(resolve, pauseMs));
    }
  }
}
