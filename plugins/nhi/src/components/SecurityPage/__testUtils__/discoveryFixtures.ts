import type {
  DiscoveredCredentialView,
  DiscoverySourceHealth,
} from '@nhi-governance/plugin-nhi-common';

/** A source read an hour ago, and one whose last run failed on a truncated file. */
export const healthySource: DiscoverySourceHealth = {
  id: 'aws-prod',
  format: 'aws-credential-report',
  location: '/exports/aws/credential-report.csv',
  lastStatus: 'ok',
  lastRunAt: '2026-06-10T09:00:00.000Z',
  lastSuccessAt: '2026-06-10T09:00:00.000Z',
  credentials: 412,
  summary: { credentials: 412, declared: 380, discovered: 30, missing: 1 },
  runs: [
    {
      startedAt: '2026-06-10T08:59:58.000Z',
      finishedAt: '2026-06-10T09:00:00.000Z',
      status: 'ok',
      rowsRead: 412,
      credentials: 412,
      // As the credential report writes a key nobody has used since AWS began tracking use.
      warningCount: 2,
      warnings: [
        {
          location: 'row 14',
          field: 'access_key_1_last_used_date',
          reason: 'not a date ("no_inform…"): read as unknown',
        },
        {
          location: 'row 31',
          field: 'access_key_2_last_rotated',
          reason: 'not a date ("2019-13-0…"): read as unknown',
        },
      ],
    },
  ],
};

/** A key nobody declared, found by the healthy source. */
export const undeclaredKey: DiscoveredCredentialView = {
  sourceId: 'aws-prod',
  provider: 'aws',
  externalId: 'arn:aws:iam::123456789012:user/legacy-batch#access_key_1',
  kind: 'access-key',
  principal: 'arn:aws:iam::123456789012:user/legacy-batch',
  displayName: 'legacy-batch access key 1',
  active: true,
  lastRotatedAt: '2013-07-22T16:50:10.000Z',
  ownerHint: 'group:default/data',
};

export const failedSource: DiscoverySourceHealth = {
  id: 'k8s-prod',
  format: 'kubernetes-service-accounts',
  location: 'https://exports.example.com/k8s.json',
  lastStatus: 'failed',
  lastRunAt: '2026-06-10T09:05:00.000Z',
  lastSuccessAt: '2026-06-09T09:05:00.000Z',
  lastError:
    'k8s-prod: kubernetes-service-accounts $.items[40]: ends before the JSON is complete: the file is truncated',
  credentials: 37,
  runs: [
    {
      startedAt: '2026-06-10T09:04:59.000Z',
      finishedAt: '2026-06-10T09:05:00.000Z',
      status: 'failed',
      rowsRead: 40,
      credentials: 0,
      error:
        'k8s-prod: kubernetes-service-accounts $.items[40]: ends before the JSON is complete: the file is truncated',
      warningCount: 0,
      warnings: [],
    },
  ],
};
