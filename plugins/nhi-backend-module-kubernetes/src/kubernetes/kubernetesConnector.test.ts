// The connector is tested inside the real plugin it extends: its runs, scopes and health.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import { startConnectorBackend } from '@nhi-governance/plugin-nhi-backend/testUtils';
import { nhiModuleKubernetes } from '../module';
import type { FakeCluster } from '../__testUtils__/fakeKubernetes';
import {
  PROD_TOKEN,
  STAGING_TOKEN,
  startProd,
  startStaging,
} from '../__testUtils__/sampleClusters';

// These tests run the real @kubernetes/client-node over real HTTP against local servers that
// answer in the Kubernetes API's documented shapes (src/__testUtils__/fakeKubernetes.ts), never
// against a real cluster.

jest.setTimeout(60_000);

const REFUSED =
  'the cluster refused the credentials (401 Unauthorized); the service account token may have been revoked or expired: check kubernetes.clusterLocatorMethods';

const clusterConfig = (name: string, fake: FakeCluster, token: string) => ({
  name,
  url: fake.url,
  authProvider: 'serviceAccount',
  serviceAccountToken: token,
  // client-node speaks plain HTTP only with skipTLSVerify; the fakes are plain HTTP.
  skipTLSVerify: true,
});

/** A backend with the nhi plugin, this module, and one kubernetes source reading both fakes. */
async function backendReading(
  prod: FakeCluster,
  staging: FakeCluster,
  settings?: object,
) {
  const backend = await startConnectorBackend({
    features: [nhiModuleKubernetes],
    sourceId: 'k8s',
    connector: 'kubernetes',
    config: {
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              clusterConfig('prod', prod, PROD_TOKEN),
              clusterConfig('staging', staging, STAGING_TOKEN),
            ],
          },
        ],
      },
    },
    settings: settings && { ...settings },
  });
  return {
    run: backend.run,
    health: backend.health,
    rawCredentials: backend.credentials,
    credentials: async () =>
      (await backend.credentials()).map(
        c => `${c.scope} ${c.externalId} ${c.kind} ${c.ownerHint ?? '-'}`,
      ),
  };
}

describe('the kubernetes connector', () => {
  let prod: FakeCluster;
  let staging: FakeCluster;

  beforeEach(async () => {
    [prod, staging] = await Promise.all([startProd(), startStaging()]);
  });

  afterEach(async () => {
    await Promise.all([prod.close(), staging.close()]);
  });

  it('reads every service account and token Secret of each cluster, page by page, with its token', async () => {
    const backend = await backendReading(prod, staging);
    const res = await backend.run();
    expect(res.body).toMatchObject({ status: 'ok' });
    expect((await backend.credentials()).sort()).toEqual([
      'prod prod/argocd/argocd-manager-token-7xk2p service-account-token platform',
      'prod prod/ci/gitlab-runner-token service-account-token ci-platform',
      'prod prod/system:serviceaccount:default:default service-account -',
      'prod prod/system:serviceaccount:kube-system:default service-account -',
      'prod prod/system:serviceaccount:payments:payments-api service-account payments',
      'staging staging/payments/payments-api-token service-account-token payments',
      // The same namespace and name in two clusters are two identities, not one.
      'staging staging/system:serviceaccount:default:default service-account -',
    ]);
    expect((await backend.health()).runs[0].scopes).toEqual([
      { scope: 'prod', status: 'ok', credentials: 5 },
      { scope: 'staging', status: 'ok', credentials: 2 },
    ]);
    const token = (await backend.rawCredentials()).find(
      (c: any) => c.externalId === 'prod/ci/gitlab-runner-token',
    );
    expect(token).toMatchObject({
      principal: 'system:serviceaccount:ci:gitlab-runner',
      displayName: 'prod/ci/gitlab-runner-token',
      lastUsedAt: '2026-05-06T00:00:00.000Z',
      active: true,
    });
    for (const [fake, bearer] of [
      [prod, PROD_TOKEN],
      [staging, STAGING_TOKEN],
    ] as const) {
      expect(
        fake.requests.every(r => r.bearer === bearer && r.status === 200),
      ).toBe(true);
      // Only token Secrets are asked for, and every page of both lists is read.
      const secrets = fake.requests.filter(r => r.resource === 'secrets');
      expect(
        secrets.every(
          r =>
            r.query.fieldSelector ===
            'type=kubernetes.io/service-account-token',
        ),
      ).toBe(true);
    }
    expect(prod.requests.some(r => r.query.continue)).toBe(true);
    expect(
      prod.requests.filter(r => r.resource === 'serviceaccounts'),
    ).toHaveLength(3);
  });

  it('never lets a Secret value reach an answer of the backend', async () => {
    const backend = await backendReading(prod, staging);
    const answers = [JSON.stringify((await backend.run()).body)];
    answers.push(JSON.stringify(await backend.health()));
    answers.push(JSON.stringify(await backend.rawCredentials()));
    const values = [...prod.secretValues(), ...staging.secretValues()];
    expect(values.length).toBeGreaterThanOrEqual(8);
    for (const value of [...values, PROD_TOKEN, STAGING_TOKEN]) {
      for (const answer of answers) expect(answer).not.toContain(value);
    }
  });

  it('waits out throttling as long as Retry-After says, then reads on', async () => {
    const backend = await backendReading(prod, staging);
    prod.throttle('serviceaccounts');
    prod.throttle('secrets');
    expect((await backend.run()).body.status).toBe('ok');
    for (const resource of ['serviceaccounts', 'secrets']) {
      const calls = prod.requests.filter(r => r.resource === resource);
      expect(calls.slice(0, 2).map(r => r.status)).toEqual([429, 200]);
      expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(900);
    }
    expect(
      (await backend.health()).runs[0].scopes.map((s: any) => s.status),
    ).toEqual(['ok', 'ok']);
  });

  it('keeps the last good credentials of a failing cluster while the other updates', async () => {
    const backend = await backendReading(prod, staging);
    expect((await backend.run()).body.status).toBe('ok');
    const before = await backend.credentials();

    staging.fail();
    prod.addServiceAccount({ namespace: 'payments', name: 'payments-batch' });
    expect((await backend.run()).body.status).toBe('ok');
    const after = await backend.credentials();
    expect(after.filter((c: string) => c.startsWith('staging'))).toEqual(
      before.filter((c: string) => c.startsWith('staging')),
    );
    expect(after).toContain(
      'prod prod/system:serviceaccount:payments:payments-batch service-account -',
    );
    const scopes = (await backend.health()).runs[0].scopes;
    expect(scopes).toEqual([
      { scope: 'prod', status: 'ok', credentials: 6 },
      {
        scope: 'staging',
        status: 'failed',
        credentials: 2,
        error:
          'the cluster answered 500 to list serviceaccounts, 4 tries in all: Internal error occurred: etcdserver: request timed out',
        keptFrom: expect.any(String),
      },
    ]);
    expect(staging.requests.filter(r => r.status === 500)).toHaveLength(4);
  });

  it('says in words that a cluster refused a revoked token, and fails the run when none can be read', async () => {
    const backend = await backendReading(prod, staging);
    expect((await backend.run()).body.status).toBe('ok');
    prod.revokeToken();
    expect((await backend.run()).body.status).toBe('ok');
    const [prodScope] = (await backend.health()).runs[0].scopes;
    expect(prodScope).toMatchObject({
      scope: 'prod',
      status: 'failed',
      error: REFUSED,
    });
    // A 401 is not asked again: a refused token stays refused.
    expect(prod.requests.filter(r => r.status === 401)).toHaveLength(1);

    staging.revokeToken();
    expect((await backend.run()).body.status).toBe('failed');
    const health = await backend.health();
    expect(health.lastError).toBe(
      `k8s: none of its 2 accounts, tenants or clusters could be read: prod: ${REFUSED}; staging: ${REFUSED}`,
    );
    expect(health.lastError).not.toContain(PROD_TOKEN);
    expect(health.credentials).toBe(7);
  });

  it('names the RBAC permission a cluster denies', async () => {
    const backend = await backendReading(prod, staging);
    prod.deny('secrets');
    expect((await backend.run()).body.status).toBe('ok');
    const [prodScope] = (await backend.health()).runs[0].scopes;
    expect(prodScope.error).toBe(
      'RBAC does not allow list on secrets at the cluster scope (403 Forbidden: secrets is forbidden: User "system:serviceaccount:backstage:nhi" cannot list resource "secrets" in API group "" at the cluster scope); bind a ClusterRole granting get and list on serviceaccounts and secrets to the service account the token belongs to',
    );
  });

  it('starts a list again when its continue token has expired', async () => {
    const backend = await backendReading(prod, staging);
    prod.expireNextContinue();
    expect((await backend.run()).body.status).toBe('ok');
    const calls = prod.requests.filter(r => r.resource === 'serviceaccounts');
    expect(calls.map(r => [r.status, !!r.query.continue])).toEqual([
      [200, false],
      [410, true],
      [200, false],
      [200, true],
      [200, true],
    ]);
    expect((await backend.health()).runs[0].scopes[0]).toEqual({
      scope: 'prod',
      status: 'ok',
      credentials: 5,
    });
  });

  it('reads only the clusters the settings name, and fails one the Kubernetes config lacks', async () => {
    const backend = await backendReading(prod, staging, {
      clusters: ['staging', 'qa'],
    });
    expect((await backend.run()).body.status).toBe('ok');
    expect(prod.requests).toEqual([]);
    expect((await backend.health()).runs[0].scopes).toEqual([
      {
        scope: 'qa',
        status: 'failed',
        credentials: 0,
        error:
          'settings.clusters names qa, which kubernetes.clusterLocatorMethods does not configure (configured: prod, staging)',
      },
      { scope: 'staging', status: 'ok', credentials: 2 },
    ]);
  });
});
