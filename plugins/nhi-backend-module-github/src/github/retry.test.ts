import { DEFAULT_RETRY_POLICY, retryDelayMs } from './retry';
import { describeGithubError } from './githubErrors';

// The waits a rate limit asks for are too long to sit through in the backend tests: here they
// are computed, not waited.

const NOW = Date.UTC(2025, 0, 1, 12);
const answer = (status: number, headers: Record<string, string>) => ({
  status,
  message: 'API rate limit exceeded for installation ID 1.',
  response: {
    headers: {
      'x-ratelimit-remaining': '4000',
      'x-ratelimit-reset': String(NOW / 1000 + 3600),
      ...headers,
    },
    data: { message: 'API rate limit exceeded for installation ID 1.' },
  },
});
const delay = (failure: object, attempt = 1) =>
  retryDelayMs(failure, attempt, DEFAULT_RETRY_POLICY, NOW);

describe('retryDelayMs', () => {
  it('waits until the primary limit resets, with a second for clock skew', () => {
    const limited = answer(403, {
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(NOW / 1000 + 120),
    });
    expect(delay(limited)).toBe(121_000);
  });

  it('gives up on a limit that resets later than it is willing to wait', () => {
    const limited = answer(429, { 'x-ratelimit-remaining': '0' });
    expect(delay(limited)).toBeUndefined();
    expect(
      describeGithubError(limited, {
        org: 'acme',
        list: 'app-installations',
        host: 'github.com',
        request: 'GET /orgs/acme/installations',
      }),
    ).toBe(
      "GitHub answered 429 API rate limit exceeded for installation ID 1. to GET /orgs/acme/installations: GitHub's rate limit was reached and it resets at 2025-01-01T13:00:00.000Z",
    );
  });

  it('honours retry-after, and waits a minute on a secondary limit that names no time', () => {
    expect(delay(answer(429, { 'retry-after': '30' }))).toBe(30_000);
    expect(
      delay({
        status: 403,
        message: 'You have exceeded a secondary rate limit.',
        response: { headers: {} },
      }),
    ).toBe(60_000);
  });

  it('backs off on server errors, and never retries a refusal or past three retries', () => {
    expect([1, 2, 3, 4].map(n => delay({ status: 502 }, n))).toEqual([
      1000,
      2000,
      4000,
      undefined,
    ]);
    for (const status of [401, 403, 404, 422]) {
      expect(delay(answer(status, {}))).toBeUndefined();
    }
  });
});
