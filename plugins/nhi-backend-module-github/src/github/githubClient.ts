import { setTimeout as sleep } from 'timers/promises';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { Octokit } from '@octokit/rest';
import { GithubRequestFailure, RetryPolicy, retryDelayMs } from './retry';

/** The path of a request, without its host or query: what a log line needs to say. */
const pathOf = (url: string) => new URL(url, 'http://github').pathname;

/** The REST API version whose shapes the built-in GitHub formats read. */
const API_VERSION = '2022-11-28';

export interface GithubClientOptions {
  /** The integration's API base URL, e.g. https://api.github.com or https://ghe/api/v3. */
  baseUrl: string;
  token: string;
  signal: AbortSignal;
  logger: LoggerService;
  retry: RetryPolicy;
}

/**
 * An Octokit that waits out rate limits and retries server errors, within the run's signal.
 * Each request, every page included, is retried on its own. The token is handed to Octokit's
 * own auth, which redacts it from the errors it throws; it is never logged here.
 */
export function githubClient(options: GithubClientOptions): Octokit {
  const { signal, logger, retry } = options;
  const octokit = new Octokit({
    auth: options.token,
    baseUrl: options.baseUrl,
    userAgent: 'backstage-nhi-discovery',
    headers: { 'x-github-api-version': API_VERSION },
    request: { signal },
    // Octokit's default log writes to the console; deprecation notices belong in the logs.
    log: {
      debug: () => {},
      info: () => {},
      warn: (message: string) => logger.warn(message),
      error: (message: string) => logger.error(message),
    },
  });
  octokit.hook.wrap('request', async (request, requestOptions) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await request(requestOptions);
      } catch (error) {
        const failure = error as GithubRequestFailure;
        if (signal.aborted || failure.name === 'AbortError') throw error;
        const wait = retryDelayMs(failure, attempt, retry);
        if (wait === undefined) throw error;
        logger.info(
          `GitHub answered ${failure.status ?? 'nothing'} to ${
            requestOptions.method
          } ${pathOf(
            octokit.request.endpoint.parse(requestOptions).url,
          )}; trying again in ${Math.ceil(wait / 1000)}s`,
        );
        try {
          await sleep(wait, undefined, { signal });
        } catch (aborted) {
          // Aborted: throw the signal's reason (the run's timeout), not the timer's AbortError.
          throw signal.aborted ? signal.reason : aborted;
        }
      }
    }
  });
  return octokit;
}
