import { startFakeCluster } from './fakeKubernetes';

// Two clusters for the connector tests. Tokens are made up and refused by anything but the fakes.

export const PROD_TOKEN =
  'eyJhbGciOiJSUzI1NiJ9.prod-nhi-reader.c2lnbmF0dXJlLXByb2Q';
export const STAGING_TOKEN =
  'eyJhbGciOiJSUzI1NiJ9.staging-nhi-reader.c2lnbmF0dXJl';
/** prod: five service accounts, two token Secrets (one invalidated), an Opaque Secret. */
export const startProd = () =>
  startFakeCluster({
    token: PROD_TOKEN,
    serviceAccounts: [
      { namespace: 'argocd', name: 'argocd-manager' },
      {
        namespace: 'ci',
        name: 'gitlab-runner',
        labels: { 'app.kubernetes.io/part-of': 'ci-platform' },
      },
      { namespace: 'default', name: 'default' },
      { namespace: 'kube-system', name: 'default' },
      {
        namespace: 'payments',
        name: 'payments-api',
        labels: { 'backstage.io/owner': 'payments' },
      },
    ],
    secrets: [
      {
        namespace: 'ci',
        name: 'gitlab-runner-token',
        account: 'gitlab-runner',
        labels: { 'kubernetes.io/legacy-token-last-used': '2026-05-06' },
      },
      {
        namespace: 'argocd',
        name: 'argocd-manager-token-7xk2p',
        account: 'argocd-manager',
        labels: {
          'backstage.io/owner': 'platform',
          'kubernetes.io/legacy-token-invalid-since': '2026-01-27',
        },
      },
      { namespace: 'payments', name: 'db-password' },
    ],
  });

/** staging: some of prod's names again, in another cluster. */
export const startStaging = () =>
  startFakeCluster({
    token: STAGING_TOKEN,
    serviceAccounts: [
      { namespace: 'default', name: 'default' },
      {
        namespace: 'payments',
        name: 'payments-api',
        labels: { 'backstage.io/owner': 'payments' },
      },
    ],
    secrets: [
      {
        namespace: 'payments',
        name: 'payments-api-token',
        account: 'payments-api',
      },
    ],
  });
