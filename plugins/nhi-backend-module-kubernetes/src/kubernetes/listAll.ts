import { describeKubernetesError } from './describeError';
import { statusOf } from './apiStatus';
import { RetryPolicy, withRetry } from './retry';

/** A page of a list as client-node gives it: `metadata.continue` is `_continue` there. */
export interface ListPage<T> {
  items: T[];
  metadata?: { _continue?: string };
}

// A continue token lives five to fifteen minutes; a list that outlasts it is started again.
const RESTARTS = 2;

/**
 * Every item of a list, page by page (`limit`, then `continue` until the server gives none).
 * A page that fails for a passing reason is asked for again; a continue token that expired
 * (410) restarts the list, since continuing past it would give an inconsistent snapshot.
 * @throws Error in words (describeKubernetesError) once the list cannot be read
 */
export async function listAll<T>(
  resource: string,
  page: (continueToken: string | undefined) => Promise<ListPage<T>>,
  signal: AbortSignal,
  retry: RetryPolicy,
): Promise<T[]> {
  for (let restart = 0; ; restart++) {
    const items: T[] = [];
    let token: string | undefined;
    try {
      do {
        const current = token;
        const answer = await withRetry(() => page(current), signal, retry);
        items.push(...answer.items);
        token = answer.metadata?._continue || undefined;
      } while (token);
      return items;
    } catch (error) {
      if (signal.aborted) throw error;
      if (statusOf(error) === 410 && token && restart < RESTARTS) continue;
      throw new Error(
        describeKubernetesError(error, {
          verb: 'list',
          resource,
          attempts: retry.attempts,
        }),
      );
    }
  }
}
