import type {
  ApprovalQueueItem,
  Campaign,
  CampaignDetails,
  ExceptionRequest,
  IdentityView,
  ReviewItem,
} from '@nhi-governance/plugin-nhi-common';

/** An identity, two campaigns with an escalated item, an exception request and an approval-queue entry. */
export const identity: IdentityView = {
  ref: 'machineidentity:default/payments-db-writer',
  type: 'service-account',
  owner: 'group:default/payments',
  system: 'system:default/payments',
  usedBy: ['component:default/payments-api'],
  environment: 'production',
  purpose: 'Settlement writes to the payments database',
  scopes: ['rds:payments:write'],
  privilege: 'write',
  credential: { rotation: 'manual' } as IdentityView['credential'],
  source: 'catalog',
  firstSeenAt: '2026-01-10T00:00:00Z',
  status: {
    rotation: { status: 'overdue', ageDays: 214, periodDays: 90 },
    usage: { status: 'active', lastUsedAt: '2026-06-01T10:00:00Z' },
    review: { status: 'current' },
    findings: [
      {
        code: 'rotation-overdue',
        severity: 'medium',
        title: 'Rotation overdue',
        explanation: 'Older than policy',
        remediation: 'Rotate it',
        evidence: {},
        controls: { soc2: [], nistCsf: [], owaspNhi: [] },
      },
    ],
    risk: 62,
  },
};

const progress = {
  total: 100,
  decided: 40,
  pending: 55,
  escalated: 5,
  overdue: 3,
};

export const openCampaign: Campaign = {
  id: 'c-open',
  period: '2026-Q2',
  scope: {},
  status: 'open',
  dueAt: '2026-06-30T23:59:59Z',
  createdAt: '2026-04-01T00:00:00Z',
  createdBy: 'user:default/sam',
  origin: 'schedule',
  openedAt: '2026-04-01T00:00:00Z',
  progress,
};

export const closedCampaign: Campaign = {
  ...openCampaign,
  id: 'c-closed',
  period: '2026-Q1',
  status: 'closed',
  dueAt: '2026-03-31T23:59:59Z',
  createdAt: '2026-01-01T00:00:00Z',
  closedAt: '2026-04-01T00:00:00Z',
  progress: { ...progress, decided: 100, pending: 0, escalated: 0, overdue: 0 },
};

export const openCampaignDetails: CampaignDetails = {
  ...openCampaign,
  byGroup: [
    {
      group: 'group:default/payments',
      total: 60,
      decided: 30,
      pending: 27,
      escalated: 3,
      overdue: 2,
    },
    {
      group: 'group:default/platform',
      total: 40,
      decided: 10,
      pending: 28,
      escalated: 2,
      overdue: 1,
    },
  ],
};

export const escalatedItem: ReviewItem = {
  id: 'item-1',
  campaignId: 'c-open',
  period: '2026-Q2',
  identity: 'machineidentity:default/legacy-ftp-key',
  assignee: 'group:default/platform',
  dueAt: '2026-06-30T23:59:59Z',
  state: 'escalated',
  newSinceLastCampaign: false,
  snapshot: {
    identity: 'machineidentity:default/legacy-ftp-key',
    type: 'ssh-key',
    purpose: 'Uploads reports to the old FTP server',
    scopes: [],
    usedBy: [],
    rotation: {},
    usage: {},
    findings: [],
  },
  snapshotHash: 'abc',
  escalatedAt: '2026-06-10T00:00:00Z',
  escalationReason: 'non-response',
};

export const exceptionRequest: ExceptionRequest = {
  id: 'ex-1',
  identity: 'machineidentity:default/payments-db-writer',
  finding: 'rotation-overdue',
  justification: 'The vendor rotates it only once a year',
  compensatingControls: 'IP allow-list and alerting on use',
  expiresAt: '2026-12-31T00:00:00Z',
  requestedBy: 'user:default/alice',
  requestedAt: '2026-06-01T00:00:00Z',
  status: 'pending',
};

export const approvalItem: ApprovalQueueItem = {
  identity: 'machineidentity:default/new-ci-token',
  type: 'access-token',
  owner: 'group:default/platform',
  purpose: 'Deploys from CI',
  environment: 'production',
  privilege: 'write',
  firstSeenAt: '2026-06-05T00:00:00Z',
};
