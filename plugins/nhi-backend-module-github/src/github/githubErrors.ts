import { GithubRequestFailure, isRateLimited } from './retry';
import type { GithubList } from './settings';

/** The request that failed, as the Discovery tab names it. */
export interface GithubCall {
  org: string;
  list: GithubList;
  /** e.g. GET /orgs/acme/installations */
  request: string;
  host: string;
}

/** What each list needs when GitHub refuses it without naming a permission. */
const NEEDS: Record<GithubList, (org: string) => string> = {
  'personal-access-tokens': org =>
    `only a GitHub App installed in ${org} with the "Personal access tokens" organization permission (read) can list fine-grained token grants`,
  'app-installations': org =>
    `the credentials need the "Administration" organization permission (read) in ${org}, or an organisation owner's classic token with admin:org`,
};

const header = (failure: GithubRequestFailure, name: string) => {
  const value = failure.response?.headers?.[name];
  return value === undefined || value === '' ? undefined : String(value);
};

/** GitHub's own words: the `message` of its JSON answer. */
function saidBy(failure: GithubRequestFailure): string {
  const data = failure.response?.data as { message?: unknown } | undefined;
  if (typeof data?.message === 'string') return data.message;
  return failure.message ?? 'no message';
}

/** A 401 answer: GitHub does not accept the credentials at all, for any organisation. */
export const refusedCredentials = (error: unknown) =>
  (error as GithubRequestFailure).status === 401;

/**
 * A GitHub failure as the Discovery tab shows it: GitHub's status and message, and what to do
 * about it where GitHub says (the permission it wanted, the SSO authorisation it lacks).
 * Built from the answer alone, never from the request, so the token cannot appear in it.
 */
export function describeGithubError(error: unknown, call: GithubCall): string {
  const failure = error as GithubRequestFailure;
  const said = saidBy(failure);
  const { status } = failure;
  // Not a request's failure (a page the format could not read): its own words stand.
  if (typeof status !== 'number') return failure.message ?? String(error);
  const answered = `GitHub answered ${status} ${said} to ${call.request}`;
  // Octokit reports a request that got no answer as a 500 without a response.
  if (!failure.response) {
    return `GitHub (${call.host}) could not be reached for ${call.request}: ${said}`;
  }
  if (status === 401) {
    return `GitHub refused the credentials (401 ${said}); the token may have been revoked or expired: check integrations.github`;
  }
  if (isRateLimited(failure)) {
    // Every answer carries x-ratelimit-reset; it is the wait only once none remain.
    const reset = Number(header(failure, 'x-ratelimit-reset'));
    const retryAfter = header(failure, 'retry-after');
    let until = 'it was still in force after waiting';
    if (header(failure, 'x-ratelimit-remaining') === '0' && reset) {
      until = `it resets at ${new Date(reset * 1000).toISOString()}`;
    } else if (retryAfter) {
      until = `GitHub asked to wait ${retryAfter}s more`;
    }
    return `${answered}: GitHub's rate limit was reached and ${until}`;
  }
  if (status === 403) return `${answered}: ${whatIsMissing(failure, call)}`;
  if (status === 404) {
    return `${answered}: there is no organisation ${call.org} on ${call.host}, or the credentials cannot see it`;
  }
  if (status >= 500) return `${answered}, also when asked again`;
  return answered;
}

function whatIsMissing(failure: GithubRequestFailure, call: GithubCall) {
  if (header(failure, 'x-github-sso')) {
    return `the token must be authorised for SAML single sign-on in ${call.org}`;
  }
  const permissions = header(failure, 'x-accepted-github-permissions');
  if (permissions) {
    return `the credentials need the permission ${permissions
      .split(/\s*[;,]\s*/)
      .filter(Boolean)
      .join(' or ')}`;
  }
  const scopes = header(failure, 'x-accepted-oauth-scopes');
  if (scopes) {
    const has = header(failure, 'x-oauth-scopes');
    return `a classic token needs one of the scopes ${scopes}${
      has ? ` (it has ${has})` : ''
    }`;
  }
  return NEEDS[call.list](call.org);
}
