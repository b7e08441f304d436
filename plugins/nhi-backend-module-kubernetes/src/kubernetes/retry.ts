import { setTimeout as sleep } from 'timers/promises';
import { ApiException } from '@kubernetes/client-node';
import { apiStatusOf, statusOf } from './apiStatus';

/** How many times a call is tried, and how long to wait between tries without a Retry-After. */
export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  /** A Retry-After longer than this is cut to it: a run has a timeout to keep. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 4,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
};

// 429 is API Priority and Fairness shedding load; a 5xx is often an apiserver or etcd hiccup
// behind a load balancer. Both usually pass; anything else will not by asking again.
const isTransient = (status: number | undefined) =>
  status === 429 || (status !== undefined && status >= 500);

/**
 * How long the server asked to wait: the Retry-After header (seconds or an HTTP date), or
 * the `details.retryAfterSeconds` of the Status it answered with.
 */
function retryAfterMs(error: unknown): number | undefined {
  if (!(error instanceof ApiException)) return undefined;
  const header = error.headers?.['retry-after'];
  if (header !== undefined) {
    const seconds = Number(header);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const at = Date.parse(header);
    if (Number.isFinite(at)) return Math.max(0, at - Date.now());
  }
  const seconds = apiStatusOf(error)?.details?.retryAfterSeconds;
  return typeof seconds === 'number' ? seconds * 1000 : undefined;
}

/**
 * Calls `call` until it succeeds, fails for good, or has been tried `policy.attempts` times.
 * client-node does not retry by itself, so throttling (429) and server errors (5xx) are waited
 * out here: as long as the server's Retry-After says, else with exponential back-off.
 */
export async function withRetry<T>(
  call: () => Promise<T>,
  signal: AbortSignal,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (
        signal.aborted ||
        attempt >= policy.attempts ||
        !isTransient(statusOf(error))
      ) {
        throw error;
      }
      const backOff = policy.baseDelayMs * 2 ** (attempt - 1);
      const wait = Math.min(retryAfterMs(error) ?? backOff, policy.maxDelayMs);
      try {
        await sleep(wait, undefined, { signal });
      } catch (aborted) {
        // Aborted: throw the signal's reason (the run's timeout), not the timer's AbortError.
        throw signal.aborted ? signal.reason : aborted;
      }
    }
  }
}
