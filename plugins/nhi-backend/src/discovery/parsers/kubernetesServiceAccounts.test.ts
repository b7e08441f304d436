import { parseKubernetesServiceAccounts } from './kubernetesServiceAccounts';
import {
  chunked,
  collect,
  failureOn,
  fixtureStream,
  fixtureText,
  leakedSecrets,
  parseEditedWithWarnings,
  parseWithWarnings,
  upstreamText,
} from './__testUtils__/parsing';

const FIXTURE = 'kubernetes-serviceaccounts-secrets.json';

describe('parseKubernetesServiceAccounts', () => {
  it('yields long-lived token Secrets, then service accounts without one', async () => {
    const found = await collect(
      parseKubernetesServiceAccounts(fixtureStream(FIXTURE)),
    );
    expect(found.map(c => [c.kind, c.externalId, c.principal])).toEqual([
      [
        'service-account-token',
        'argocd/argocd-manager-token-7xk2p',
        'system:serviceaccount:argocd:argocd-manager',
      ],
      [
        'service-account-token',
        'ci/gitlab-runner-token',
        'system:serviceaccount:ci:gitlab-runner',
      ],
      [
        'service-account',
        'system:serviceaccount:default:default',
        'system:serviceaccount:default:default',
      ],
      [
        'service-account',
        'system:serviceaccount:payments:payments-api',
        'system:serviceaccount:payments:payments-api',
      ],
    ]);
  });

  it('reads last use from the legacy-token-last-used label and the owner from its account', async () => {
    const [, runner] = await collect(
      parseKubernetesServiceAccounts(fixtureStream(FIXTURE)),
    );
    expect(runner).toEqual({
      provider: 'kubernetes',
      externalId: 'ci/gitlab-runner-token',
      kind: 'service-account-token',
      principal: 'system:serviceaccount:ci:gitlab-runner',
      displayName: 'ci/gitlab-runner-token',
      active: true,
      createdAt: '2022-11-18T16:41:10.000Z',
      lastUsedAt: '2026-05-06T00:00:00.000Z',
      ownerHint: 'ci-platform',
      disabledReason: undefined,
    });
  });

  it('prefers the Secret own owner label, and marks an invalidated token inactive', async () => {
    const [argocd, , , payments] = await collect(
      parseKubernetesServiceAccounts(chunked(fixtureText(FIXTURE))),
    );
    expect(argocd).toMatchObject({
      ownerHint: 'platform',
      active: false,
      lastUsedAt: '2025-08-30T00:00:00.000Z',
      disabledReason: 'invalidated since 2026-01-27',
    });
    expect(payments).toMatchObject({ ownerHint: 'payments', active: true });
  });

  it('never copies any Secret data', async () => {
    const list = JSON.parse(fixtureText(FIXTURE));
    const data = list.items.flatMap((item: { data?: Record<string, string> }) =>
      Object.values(item.data ?? {}),
    );
    expect(data.length).toBeGreaterThan(5);
    const found = await collect(
      parseKubernetesServiceAccounts(fixtureStream(FIXTURE)),
    );
    expect(leakedSecrets(found, data)).toEqual([]);
  });

  it('reads a bad last-used label as unknown, with a warning naming the item and label', async () => {
    const { found, warnings } = await parseEditedWithWarnings(
      parseKubernetesServiceAccounts,
      FIXTURE,
      '"2026-05-06"',
      '"last tuesday"',
    );
    expect(found).toHaveLength(4);
    expect(found[1]).toMatchObject({
      externalId: 'ci/gitlab-runner-token',
      active: true,
      lastUsedAt: undefined,
    });
    expect(warnings).toEqual([
      {
        location: '$.items[5]',
        field: 'metadata.labels["kubernetes.io/legacy-token-last-used"]',
        reason:
          'a value of 12 characters is not a date (YYYY-MM-DD): read as unknown',
      },
    ]);
  });

  it.each(['2026-02-30', '0000-01-01'])(
    'reads a last-used label of a day that does not exist (%s) as unknown, not as another day',
    async day => {
      const { found, warnings } = await parseEditedWithWarnings(
        parseKubernetesServiceAccounts,
        FIXTURE,
        '"2026-05-06"',
        `"${day}"`,
      );
      expect(found[1]).toMatchObject({
        externalId: 'ci/gitlab-runner-token',
        lastUsedAt: undefined,
      });
      expect(warnings).toEqual([
        {
          location: '$.items[5]',
          field: 'metadata.labels["kubernetes.io/legacy-token-last-used"]',
          reason: `"${day}" is not a date (YYYY-MM-DD): read as unknown`,
        },
      ]);
    },
  );

  it('refuses a kind it was not asked for', async () => {
    expect(
      await failureOn(
        parseKubernetesServiceAccounts,
        FIXTURE,
        '"kind": "ServiceAccount"',
        '"kind": "ConfigMap"',
      ),
    ).toBe(
      'kubernetes-service-accounts $.items[0].kind: a value of 9 characters is not one of ServiceAccount, Secret',
    );
  });
});

describe('parseKubernetesServiceAccounts on Kubernetes API lists from upstream', () => {
  it('reads a ServiceAccountList, whose items name no kind', async () => {
    const { found, warnings } = await parseWithWarnings(
      parseKubernetesServiceAccounts,
      upstreamText(
        'kubernetes-service-accounts/rancher-docs-serviceaccountlist.json',
      ),
    );
    expect(found.map(c => [c.kind, c.principal, c.createdAt])).toEqual([
      [
        'service-account',
        'system:serviceaccount:cattle-logging:default',
        '2019-10-30T03:24:36.000Z',
      ],
      [
        'service-account',
        'system:serviceaccount:cattle-logging:rancher-logging-fluentd',
        '2019-10-30T03:24:41.000Z',
      ],
      [
        'service-account',
        'system:serviceaccount:cattle-logging:rancher-logging-log-aggregator',
        '2019-10-30T03:24:41.000Z',
      ],
    ]);
    expect(warnings).toEqual([]);
  });

  it('reads a bad creation time as unknown, with a warning, and every other item', async () => {
    const { found, warnings } = await parseEditedWithWarnings(
      parseKubernetesServiceAccounts,
      FIXTURE,
      '"2023-04-02T09:15:27Z"',
      '"the day we went live"',
    );
    expect(found).toHaveLength(4);
    expect(warnings).toEqual([
      {
        location: '$.items[0]',
        field: 'metadata.creationTimestamp',
        reason:
          'a value of 20 characters is not an ISO 8601 timestamp: read as unknown',
      },
    ]);
  });

  it('still fails on an item without its name, naming the item and field', async () => {
    expect(
      await failureOn(
        parseKubernetesServiceAccounts,
        FIXTURE,
        '"name": "argocd-manager",',
        '',
      ),
    ).toBe(
      'kubernetes-service-accounts $.items[0].metadata.name: must be a name',
    );
  });
});
