/**
 * What an Octokit request failure carries: a RequestError, whose `status` is 500 without a
 * `response` when no answer came at all.
 */
export interface GithubRequestFailure {
  status?: number;
  message?: string;
  name?: string;
  response?: {
    headers?: Record<string, string | number | undefined>;
    data?: unknown;
  };
}

export interface RetryPolicy {
  /** Retries of one request, whatever the reason. */
  retries: number;
  /** The longest single wait; a rate limit that resets later fails the request instead. */
  maxWaitMs: number;
  /** The first wait after a server error or a broken connection; doubled each time. */
  serverErrorBackoffMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 3,
  maxWaitMs: 15 * 60_000,
  serverErrorBackoffMs: 1_000,
};

/** GitHub's advice when a secondary rate limit says nothing of when to come back. */
const SECONDARY_LIMIT_WAIT_MS = 60_000;
/** Our clock and GitHub's may disagree a little about when the limit resets. */
const CLOCK_SKEW_MS = 1_000;

const header = (failure: GithubRequestFailure, name: string) => {
  const value = failure.response?.headers?.[name];
  return value === undefined ? undefined : String(value);
};

/** Whether GitHub answered that a rate limit, primary or secondary, was reached. */
export function isRateLimited(failure: GithubRequestFailure): boolean {
  if (failure.status === 429) return true;
  return (
    failure.status === 403 &&
    (header(failure, 'retry-after') !== undefined ||
      header(failure, 'x-ratelimit-remaining') === '0' ||
      /secondary rate limit/i.test(failure.message ?? ''))
  );
}

/**
 * How long to wait before trying a failed request again, or undefined not to. Rate limits
 * are waited out as GitHub says (`retry-after`, else `x-ratelimit-reset` when none remain);
 * server errors and requests that got no answer get a short doubling back-off. Refusals
 * (401, 403, 404, 422) are answers, not accidents: they are never retried.
 */
export function retryDelayMs(
  failure: GithubRequestFailure,
  attempt: number,
  policy: RetryPolicy,
  now = Date.now(),
): number | undefined {
  if (attempt > policy.retries) return undefined;
  let wait: number | undefined;
  if (isRateLimited(failure)) {
    const retryAfter = Number(header(failure, 'retry-after'));
    const reset = Number(header(failure, 'x-ratelimit-reset'));
    if (Number.isFinite(retryAfter) && header(failure, 'retry-after')) {
      wait = retryAfter * 1000;
    } else if (header(failure, 'x-ratelimit-remaining') === '0' && reset) {
      wait = Math.max(reset * 1000 - now, 0) + CLOCK_SKEW_MS;
    } else {
      wait = SECONDARY_LIMIT_WAIT_MS;
    }
  } else if (failure.status !== undefined && failure.status >= 500) {
    wait = policy.serverErrorBackoffMs * 2 ** (attempt - 1);
  }
  return wait !== undefined && wait <= policy.maxWaitMs ? wait : undefined;
}
