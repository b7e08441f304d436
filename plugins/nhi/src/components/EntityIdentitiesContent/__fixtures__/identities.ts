import type {
  Finding,
  IdentityDetailsResponse,
  IdentityStatus,
  IdentityView,
} from '@nhi-governance/plugin-nhi-common';

/** Test data: identities as the nhi backend serves them. */

export const rotationOverdue: Finding = {
  code: 'rotation-overdue',
  severity: 'high',
  title: 'Rotation overdue',
  explanation:
    'The credential is older than its rotation period, so a leaked copy keeps working.',
  remediation: 'Rotate the credential and record the rotation.',
  evidence: { lastRotatedAt: '2026-01-10', periodDays: 90 },
  controls: { soc2: ['CC6.1'], nistCsf: ['PR.AA-01'], owaspNhi: ['NHI7'] },
  openedAt: '2026-04-10T00:00:00Z',
};

export const neverUsed: Finding = {
  code: 'never-used',
  severity: 'medium',
  title: 'Never used',
  explanation: 'Nothing has used it since it was issued.',
  remediation: 'Revoke it if nothing needs it.',
  evidence: {},
  controls: { soc2: ['CC6.2'], nistCsf: ['ID.AM-08'], owaspNhi: ['NHI1'] },
  exception: {
    id: 'exc-1',
    expiresAt: '2026-12-31T00:00:00Z',
    approvedBy: 'user:default/sam',
  },
};

export function status(
  overrides: Partial<IdentityStatus> = {},
): IdentityStatus {
  return {
    rotation: {
      status: 'ok',
      lastRotatedAt: '2026-08-01',
      ageDays: 20,
      periodDays: 90,
    },
    usage: {
      status: 'active',
      lastUsedAt: '2026-08-20T10:00:00Z',
      daysSinceUse: 1,
    },
    review: { status: 'current' },
    findings: [],
    risk: 0,
    ...overrides,
  };
}

export function identity(
  name: string,
  overrides: Partial<IdentityView> = {},
): IdentityView {
  return {
    ref: `machineidentity:default/${name}`,
    type: 'service-account',
    owner: 'group:default/payments',
    usedBy: ['component:default/payments-api'],
    scopes: [],
    credential: {},
    source: 'catalog',
    firstSeenAt: '2026-01-10T00:00:00Z',
    status: status(),
    ...overrides,
  };
}

export const dbWriter = identity('payments-db-writer', {
  purpose: 'Settlement writes to the payments database',
  environment: 'production',
  provider: 'aws-iam',
  privilege: 'write',
  scopes: ['rds:payments:write', 'rds:payments:read'],
  status: status({
    rotation: {
      status: 'overdue',
      lastRotatedAt: '2026-01-10',
      ageDays: 214,
      periodDays: 90,
      expiresAt: '2027-01-10T00:00:00Z',
    },
    review: { status: 'overdue' },
    findings: [rotationOverdue],
    risk: 70,
  }),
});

export const stripeKey = identity('stripe-api-key', {
  type: 'api-key',
  owner: 'group:default/billing',
  purpose: 'Charges customer cards',
  scopes: ['charges:write'],
  status: status({
    usage: { status: 'never-used' },
    review: { status: 'never-reviewed' },
    findings: [neverUsed],
    risk: 20,
  }),
});

/** A Kubernetes service account nobody declared, owned by the group its label names. */
export const discoveredAccount = identity(
  'kubernetes-payments-payments-api-0123456789',
  {
    ref: 'machineidentity:discovered/kubernetes-payments-payments-api-0123456789',
    type: 'workload-identity',
    usedBy: [],
    provider: 'kubernetes',
    externalId: 'system:serviceaccount:payments:payments-api',
    purpose: 'Found by discovery source k8s-example: payments/payments-api',
    credential: { createdAt: '2025-02-14T11:22:33.000Z' },
    source: 'discovery:k8s-example',
  },
);

/** The identity's ledger, newest first: a decision, a finding, an exception and its approval. */
function ledgerOf(ref: string): IdentityDetailsResponse['ledger'] {
  return [
    {
      seq: 12,
      recordedAt: '2026-07-01T12:00:00Z',
      kind: 'review.decided',
      subject: ref,
      payload: {
        campaignId: 'c1',
        itemId: 'i1',
        version: 1,
        decision: 'certify',
        justification: 'Still needed for nightly settlement',
        decidedBy: 'user:default/alice',
        batchId: 'batch-7',
      },
      prevHash: 'a',
      hash: 'b',
    },
    {
      seq: 11,
      recordedAt: '2026-06-01T12:00:00Z',
      kind: 'finding.opened',
      subject: ref,
      payload: { code: 'rotation-overdue' },
      prevHash: 'c',
      hash: 'a',
    },
    {
      seq: 10,
      recordedAt: '2026-05-01T12:00:00Z',
      kind: 'exception.approved',
      subject: ref,
      payload: {
        exceptionId: 'exc-1',
        finding: 'never-used',
        expiresAt: '2026-12-31T00:00:00Z',
        requestedBy: 'user:default/alice',
        decidedBy: 'user:default/sam',
        reason: 'Standby credential for failover',
      },
      prevHash: 'd',
      hash: 'c',
    },
    {
      seq: 2,
      recordedAt: '2026-01-09T12:00:00Z',
      kind: 'identity.approved',
      subject: ref,
      payload: {
        decision: 'approved',
        decidedBy: 'user:default/sam',
        decidedAt: '2026-01-09T12:00:00Z',
        ticket: 'SEC-1423',
        reason: 'Least privilege confirmed',
      },
      prevHash: 'e',
      hash: 'd',
    },
  ];
}

export function details(view: IdentityView): IdentityDetailsResponse {
  return {
    identity: view,
    events: [
      {
        id: 'e2',
        type: 'interactive-login',
        occurredAt: '2026-08-15T09:30:00Z',
        receivedAt: '2026-08-15T09:31:00Z',
        attributes: { actor: 'jdoe', sourceIp: '10.0.0.7' },
      },
      {
        id: 'e1',
        type: 'issued',
        occurredAt: '2026-01-10T08:00:00Z',
        receivedAt: '2026-01-10T08:00:01Z',
        attributes: {},
      },
    ],
    usage: [
      {
        day: '2026-08-20',
        uses: 1204,
        authFailures: 3,
        lastUsedAt: '2026-08-20T10:00:00Z',
        sources: ['10.0.0.1'],
      },
    ],
    sources: [],
    ledger: ledgerOf(view.ref),
  };
}

/** A 403 as NhiClient raises it, from the backend's NotAllowedError body. */
export function forbidden(message = 'Missing permission nhi.identity.read') {
  const body = JSON.stringify({
    error: { name: 'NotAllowedError', message },
    request: { method: 'GET', url: '/api/nhi/...' },
    response: { statusCode: 403 },
  });
  return {
    ok: false,
    status: 403,
    statusText: 'Forbidden',
    headers: { get: () => 'application/json; charset=utf-8' },
    text: async () => body,
  } as unknown as Response;
}
