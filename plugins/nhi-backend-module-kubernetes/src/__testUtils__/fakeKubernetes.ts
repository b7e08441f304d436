import http from 'http';
import type { AddressInfo } from 'net';
import { randomBytes, randomUUID } from 'crypto';
import { EXPIRED, status } from './apiServerStatus';

/**
 * A local stand-in for one cluster's API server, for the two list calls the connector makes:
 * `GET /api/v1/serviceaccounts` and `GET /api/v1/secrets` (all namespaces).
 *
 * It is a real HTTP server on 127.0.0.1 that the real @kubernetes/client-node reaches as a
 * cluster `server`. It answers in the shapes the Kubernetes API documents: a ServiceAccountList
 * or SecretList (`apiVersion: v1`, `metadata.resourceVersion`, `metadata.continue` while more
 * remain, items without `kind`, as the API server lists them), or a `Status` object for every
 * error, with the reasons and messages a real API server gives (401 Unauthorized, 403 Forbidden
 * in the RBAC authorizer's words, 429 TooManyRequests with Retry-After, 500 InternalError,
 * 410 Expired for an expired continue token). It checks `Authorization: Bearer <token>` on
 * every request and applies `fieldSelector=type=...` to Secrets.
 *
 * Pagination is forced: a page holds at most `maxPageSize` items (default 2) whatever `limit`
 * asks for. The API documents that a server may return fewer items than the limit, so a
 * client that stops at the first page is wrong against a real cluster too.
 *
 * Every token Secret carries a token in `data` (base64), as a real one does, and one of them
 * the `kubectl apply` annotation quoting it: `secretValues()` lists them for leak checks.
 */

export interface FakeServiceAccount {
  namespace: string;
  name: string;
  labels?: Record<string, string>;
}

export interface FakeSecret {
  namespace: string;
  name: string;
  /** The service account a token Secret belongs to; none for an Opaque Secret. */
  account?: string;
  labels?: Record<string, string>;
}

export interface FakeClusterOptions {
  /** The bearer token the server accepts. */
  token: string;
  serviceAccounts: FakeServiceAccount[];
  /** Token Secrets (with `account`) and Opaque ones (without). */
  secrets: FakeSecret[];
  /** The user the token authenticates as, named in RBAC denials. */
  user?: string;
  maxPageSize?: number;
}

export interface RecordedRequest {
  resource: string;
  query: Record<string, string>;
  /** The bearer token presented ('' without one). */
  bearer: string;
  status: number;
  /** When it arrived (ms since the epoch). */
  at: number;
}

export interface FakeCluster {
  /** http://127.0.0.1:PORT */
  url: string;
  requests: RecordedRequest[];
  /** Answer the next `times` requests for `resource` with 429 and Retry-After: 1. */
  throttle(resource: string, times?: number): void;
  /** Every request answers 500 InternalError until `restore()`. */
  fail(): void;
  restore(): void;
  /** The token is revoked: every request answers 401 Unauthorized. */
  revokeToken(): void;
  /** RBAC denies `list` on this resource at the cluster scope: 403 Forbidden. */
  deny(resource: string): void;
  /** The next request that gives a continue token answers 410 Expired. */
  expireNextContinue(): void;
  /** A service account created since: the next list shows it. */
  addServiceAccount(sa: FakeServiceAccount): void;
  /** Every secret value the server holds (tokens, passwords), base64 and decoded. */
  secretValues(): string[];
  close(): Promise<void>;
}

const base64 = (text: string) => Buffer.from(text).toString('base64');

/** A continue token as the API server makes one: base64 JSON of the version and next key. */
const continueToken = (rv: number, start: number) =>
  base64(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start }));

function objectMeta(item: { namespace: string; name: string }, rv: number) {
  return {
    name: item.name,
    namespace: item.namespace,
    uid: randomUUID(),
    resourceVersion: String(rv),
    creationTimestamp: '2024-03-11T08:30:00Z',
  };
}

function secretOf(
  s: FakeSecret,
  rv: number,
  ca: string,
  quoteApplied: boolean,
) {
  const token = `eyJhbGciOiJSUzI1NiJ9.${randomBytes(48).toString('base64url')}`;
  const tokenSecret = s.account !== undefined;
  const annotations: Record<string, string> = tokenSecret
    ? {
        'kubernetes.io/service-account.name': s.account!,
        'kubernetes.io/service-account.uid': randomUUID(),
      }
    : {};
  if (quoteApplied) {
    annotations['kubectl.kubernetes.io/last-applied-configuration'] =
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: s.name, namespace: s.namespace, annotations: {} },
        stringData: { token },
        type: 'kubernetes.io/service-account-token',
      });
  }
  return {
    metadata: { ...objectMeta(s, rv), labels: s.labels, annotations },
    data: tokenSecret
      ? { 'ca.crt': ca, namespace: base64(s.namespace), token: base64(token) }
      : { password: base64(randomBytes(24).toString('hex')) },
    type: tokenSecret ? 'kubernetes.io/service-account-token' : 'Opaque',
  };
}

export async function startFakeCluster(
  options: FakeClusterOptions,
): Promise<FakeCluster> {
  const user = options.user ?? 'system:serviceaccount:backstage:nhi';
  const maxPageSize = options.maxPageSize ?? 2;
  const rv = 48_213;
  const ca = base64('-----BEGIN CERTIFICATE-----\nMIIB...\n');
  const lists: Record<string, { kind: string; items: any[] }> = {
    serviceaccounts: {
      kind: 'ServiceAccountList',
      items: options.serviceAccounts.map(sa => ({
        metadata: { ...objectMeta(sa, rv), labels: sa.labels },
      })),
    },
    secrets: {
      kind: 'SecretList',
      items: options.secrets.map((s, i) => secretOf(s, rv, ca, i === 0)),
    },
  };
  const throttled = new Map<string, number>();
  const denied = new Set<string>();
  let failing = false;
  let revoked = false;
  let expireContinue = false;
  const requests: RecordedRequest[] = [];

  const answer = (req: http.IncomingMessage): [number, object, object?] => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const resource = /^\/api\/v1\/(serviceaccounts|secrets)$/.exec(
      url.pathname,
    )?.[1];
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (revoked || bearer !== options.token) {
      return [401, status(401, 'Unauthorized')];
    }
    if (!resource || req.method !== 'GET') {
      return [
        404,
        status(404, 'the server could not find the requested resource'),
      ];
    }
    if (denied.has(resource)) {
      const message = `${resource} is forbidden: User "${user}" cannot list resource "${resource}" in API group "" at the cluster scope`;
      return [403, status(403, message, { details: { kind: resource } })];
    }
    const throttles = throttled.get(resource) ?? 0;
    if (throttles > 0) {
      throttled.set(resource, throttles - 1);
      const message = 'Too many requests, please try again later.';
      const details = { details: { retryAfterSeconds: 1 } };
      return [429, status(429, message, details), { 'Retry-After': '1' }];
    }
    if (failing) {
      const message = 'Internal error occurred: etcdserver: request timed out';
      return [500, status(500, message)];
    }
    let items = lists[resource].items;
    const selector = url.searchParams.get('fieldSelector');
    if (selector) {
      const type = /^type=(.+)$/.exec(selector)?.[1];
      if (resource !== 'secrets' || !type) {
        const message = `field label not supported: ${selector.split('=')[0]}`;
        return [400, status(400, message)];
      }
      items = items.filter(i => i.type === type);
    }
    let start = 0;
    const cont = url.searchParams.get('continue');
    if (cont) {
      if (expireContinue) {
        expireContinue = false;
        return [410, status(410, EXPIRED, { metadata: { continue: cont } })];
      }
      start = JSON.parse(Buffer.from(cont, 'base64').toString()).start;
    }
    const limit = Number(url.searchParams.get('limit') ?? items.length);
    const end = start + Math.min(limit || items.length, maxPageSize);
    const more = end < items.length;
    return [
      200,
      {
        kind: lists[resource].kind,
        apiVersion: 'v1',
        metadata: {
          resourceVersion: String(rv),
          ...(more
            ? {
                continue: continueToken(rv, end),
                remainingItemCount: items.length - end,
              }
            : {}),
        },
        items: items.slice(start, end),
      },
    ];
  };

  const server = http.createServer((req, res) => {
    const [code, body, headers] = answer(req);
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push({
      resource: url.pathname.split('/').pop() ?? '',
      query: Object.fromEntries(url.searchParams),
      bearer: /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '',
      status: code,
      at: Date.now(),
    });
    res.writeHead(code, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    throttle: (resource, times = 1) => throttled.set(resource, times),
    fail: () => {
      failing = true;
    },
    restore: () => {
      failing = false;
    },
    revokeToken: () => {
      revoked = true;
    },
    deny: resource => denied.add(resource),
    expireNextContinue: () => {
      expireContinue = true;
    },
    addServiceAccount: sa =>
      lists.serviceaccounts.items.push({
        metadata: { ...objectMeta(sa, rv), labels: sa.labels },
      }),
    // A token Secret's namespace and CA certificate are in `data` too, but are not secret.
    secretValues: () =>
      lists.secrets.items
        .flatMap(s => [s.data.token, s.data.password])
        .filter(Boolean)
        .flatMap(v => [v, Buffer.from(v, 'base64').toString()]),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close(e => (e ? reject(e) : resolve()));
      }),
  };
}
