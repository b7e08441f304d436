import http from 'http';
import type { AddressInfo } from 'net';
import { randomUUID } from 'crypto';
import { upstreamInstallation, upstreamPatGrant } from './upstreamRecords';

/**
 * A local stand-in for the two GitHub REST endpoints the connector reads,
 * `GET /orgs/{org}/personal-access-tokens` and `GET /orgs/{org}/installations`, answering in
 * the shapes GitHub documents: records built from the examples of GitHub's OpenAPI description
 * (see upstreamRecords.ts), pages linked by `Link: <…?page=2>; rel="next"`, GitHub's
 * `x-ratelimit-*` headers on every answer, and its error bodies
 * (`{ message, documentation_url, status }`).
 *
 * Every request must carry `Authorization: token <token>` or `Bearer <token>`. Pages hold at
 * most `pageSize` items (default 2) whatever `per_page` asks for, so a connector that reads
 * only the first page is caught.
 */

export interface FakeOrganization {
  login: string;
  /** Answers of the token list: use `patGrant()` to make one. */
  patGrants: object[];
  /** Installations: use `installation()` to make one. */
  installations: object[];
}

export interface RecordedRequest {
  method: string;
  /** e.g. /orgs/acme/installations */
  path: string;
  org?: string;
  page: number;
  authorization?: string;
  status: number;
}

export type Throttle =
  /** Primary limit: 403, x-ratelimit-remaining 0 and x-ratelimit-reset a second ahead. */
  | 'rate-limit'
  /** Secondary limit: 429 with retry-after: 1. */
  | 'secondary-limit';

export interface FakeGithub {
  /** http://127.0.0.1:PORT: the integration's apiBaseUrl */
  url: string;
  /** Every request, in order. */
  requests: RecordedRequest[];
  org(login: string): FakeOrganization;
  /** The next `times` requests whose path contains `pathPart` are throttled. */
  throttle(how: Throttle, pathPart: string, times?: number): void;
  /** Requests for this organisation answer `status` (404 Not Found or 500), `times` times. */
  failOrg(login: string, status: 404 | 500, times?: number): void;
  /**
   * Requests whose path contains `pathPart` answer 403 "Resource not accessible by
   * integration", naming `permission` in x-accepted-github-permissions as GitHub does.
   */
  denyPermission(pathPart: string, permission: string): void;
  /** From now on the token answers 401 Bad credentials. */
  revokeToken(): void;
  close(): Promise<void>;
}

const DOCS = 'https://docs.github.com/rest';
const ROUTE = /^\/orgs\/([^/]+)\/(personal-access-tokens|installations)$/;

export async function startFakeGithub(options: {
  token: string;
  organizations: FakeOrganization[];
  pageSize?: number;
}): Promise<FakeGithub> {
  const pageSize = options.pageSize ?? 2;
  const orgs = new Map(options.organizations.map(o => [o.login, o]));
  const requests: RecordedRequest[] = [];
  const throttles: Array<{ how: Throttle; pathPart: string; left: number }> =
    [];
  const failures = new Map<string, { status: 404 | 500; left: number }>();
  const denied: Array<{ pathPart: string; permission: string }> = [];
  let revoked = false;
  let remaining = 5000;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const route = ROUTE.exec(url.pathname);
    const page = Number(url.searchParams.get('page') ?? 1);
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      org: route?.[1],
      page,
      authorization: req.headers.authorization,
      status: 0,
    };
    requests.push(recorded);
    const reset = Math.ceil(Date.now() / 1000) + 1;
    const answer = (
      status: number,
      body: unknown,
      headers: Record<string, string> = {},
    ) => {
      recorded.status = status;
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'x-github-media-type': 'github.v3; format=json',
        'x-github-api-version-selected': '2022-11-28',
        'x-github-request-id': randomUUID(),
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': String(remaining),
        'x-ratelimit-used': String(5000 - remaining),
        'x-ratelimit-reset': String(reset),
        'x-ratelimit-resource': 'core',
        ...headers,
      });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, message: string, headers = {}) =>
      answer(
        status,
        { message, documentation_url: DOCS, status: String(status) },
        headers,
      );

    const scheme = /^(?:token|bearer) (.+)$/i.exec(
      req.headers.authorization ?? '',
    );
    if (revoked || scheme?.[1] !== options.token) {
      error(401, 'Bad credentials');
      return;
    }
    remaining--;
    const throttle = throttles.find(
      t => t.left > 0 && url.pathname.includes(t.pathPart),
    );
    if (throttle) {
      throttle.left--;
      if (throttle.how === 'rate-limit') {
        error(403, 'API rate limit exceeded for user ID 1.', {
          'x-ratelimit-remaining': '0',
        });
      } else {
        error(
          429,
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          { 'retry-after': '1' },
        );
      }
      return;
    }
    const org = route && orgs.get(route[1]);
    const failure = route && failures.get(route[1]);
    if (failure && failure.left > 0) {
      failure.left--;
      error(
        failure.status,
        failure.status === 404 ? 'Not Found' : 'Server Error',
      );
      return;
    }
    if (req.method !== 'GET' || !route || !org) {
      error(404, 'Not Found');
      return;
    }
    const denial = denied.find(d => url.pathname.includes(d.pathPart));
    if (denial) {
      error(403, 'Resource not accessible by integration', {
        'x-accepted-github-permissions': denial.permission,
      });
      return;
    }
    const all =
      route[2] === 'installations' ? org.installations : org.patGrants;
    const perPage = Math.min(
      Number(url.searchParams.get('per_page') ?? 30),
      pageSize,
    );
    const items = all.slice((page - 1) * perPage, page * perPage);
    const lastPage = Math.max(Math.ceil(all.length / perPage), 1);
    answer(
      200,
      route[2] === 'installations'
        ? { total_count: all.length, installations: items }
        : items,
      linkHeader(`http://${req.headers.host}`, url, page, lastPage),
    );
  });

  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    org: login => orgs.get(login)!,
    throttle: (how, pathPart, times = 1) =>
      throttles.push({ how, pathPart, left: times }),
    failOrg: (login, status, times = Infinity) =>
      failures.set(login, { status, left: times }),
    denyPermission: (pathPart, permission) =>
      denied.push({ pathPart, permission }),
    revokeToken: () => {
      revoked = true;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close(e => (e ? reject(e) : resolve()));
      }),
  };
}

/** GitHub's Link header: next and last, then prev and first once past the first page. */
function linkHeader(
  origin: string,
  url: URL,
  page: number,
  lastPage: number,
): Record<string, string> {
  const to = (n: number, rel: string) => {
    const target = new URL(url.pathname + url.search, origin);
    target.searchParams.set('page', String(n));
    return `<${target}>; rel="${rel}"`;
  };
  const links = [
    ...(page < lastPage ? [to(page + 1, 'next'), to(lastPage, 'last')] : []),
    ...(page > 1 ? [to(page - 1, 'prev'), to(1, 'first')] : []),
  ];
  return links.length ? { link: links.join(', ') } : {};
}

export { upstreamInstallation as installation, upstreamPatGrant as patGrant };
