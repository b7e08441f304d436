import type { ReactElement } from 'react';
import { alertApiRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  ApprovalQueueItem,
  Campaign,
  CampaignDetails,
  DiscoveredCredentialView,
  DiscoverySourceHealth,
  EvidenceExportRecord,
  ExceptionRequest,
  IdentityView,
  ReviewItem,
  RollupDimension,
  RollupFigures,
  RollupRow,
  RollupsResponse,
  TrendPoint,
} from '@nhi-governance/plugin-nhi-common';
import { type NhiApi, nhiApiRef } from '../../../api';

export const figures = (
  overrides: Partial<RollupFigures> = {},
): RollupFigures => ({
  identities: 0,
  compliant: 0,
  compliantPct: 100,
  rotationOverdue: 0,
  expired: 0,
  orphaned: 0,
  dormant: 0,
  unapproved: 0,
  highRisk: 0,
  ...overrides,
});

export const total = figures({
  identities: 1200,
  compliant: 900,
  compliantPct: 75,
  rotationOverdue: 42,
  expired: 7,
  orphaned: 12,
  dormant: 30,
  unapproved: 5,
  highRisk: 20,
});

const row = (key: string, f: Partial<RollupFigures>): RollupRow => ({
  key,
  ...figures(f),
});

export const rollupRows: Record<RollupDimension, RollupRow[]> = {
  all: [row('', total)],
  owner: [
    row('group:default/payments', {
      identities: 700,
      rotationOverdue: 30,
      expired: 5,
      dormant: 10,
    }),
    row('group:default/platform', {
      identities: 480,
      rotationOverdue: 12,
      expired: 2,
      dormant: 20,
      unapproved: 5,
    }),
    row('', { identities: 20, orphaned: 12 }),
  ],
  system: [row('system:default/payments', { identities: 700 })],
  type: [row('service-account', { identities: 900 })],
  environment: [row('production', { identities: 1000, expired: 7 })],
  finding: [
    row('rotation-overdue', { identities: 42 }),
    row('dormant', { identities: 25 }),
    row('owner-missing', { identities: 12 }),
  ],
};

export const trendPoints: TrendPoint[] = [
  { day: '2026-06-01', ...figures({ identities: 1100, compliantPct: 70 }) },
  { day: '2026-06-02', ...figures({ identities: 1200, compliantPct: 75 }) },
];

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

export const evidenceExport: EvidenceExportRecord = {
  seq: 4812,
  exportedAt: '2026-10-02T09:15:00Z',
  exportedBy: 'user:default/sam',
  period: { from: '2026-04-01', to: '2026-06-30' },
  campaign: 'c-open',
  packageHash:
    '9f2c4e7a1b3d5f60718293a4b5c6d7e8f90112233445566778899aabbccddeef',
  ledgerHead: { seq: 4811, hash: 'ab'.repeat(32) },
  files: [
    { name: 'inventory.csv', sha256: '11'.repeat(32), rows: 1200 },
    { name: 'manifest.json', sha256: '22'.repeat(32) },
  ],
};

export const evidenceFilename = 'nhi-evidence-2026-04-01-2026-06-30.zip';

export type FakeNhiApi = { [K in keyof NhiApi]: jest.Mock };

/** The NhiApi methods the security page uses, answering with the fixtures above. */
export function fakeNhiApi(overrides: Partial<FakeNhiApi> = {}): FakeNhiApi {
  const api: Partial<FakeNhiApi> = {
    getRollups: jest.fn(
      async (by: RollupDimension): Promise<RollupsResponse> => ({
        dimension: by,
        rows: rollupRows[by],
        total,
      }),
    ),
    getTrend: jest.fn().mockResolvedValue({ points: trendPoints }),
    listIdentities: jest
      .fn()
      .mockResolvedValue({ items: [identity], totalItems: 1 }),
    listCampaigns: jest.fn(async (status?: string[]) => ({
      items: [openCampaign, closedCampaign].filter(
        c => !status || status.includes(c.status),
      ),
    })),
    getCampaign: jest.fn().mockResolvedValue(openCampaignDetails),
    startCampaign: jest.fn(async input => ({
      ...openCampaignDetails,
      id: 'c-new',
      status: 'open',
      ...input,
    })),
    changeCampaign: jest.fn(async (_id, action) => ({
      ...openCampaignDetails,
      status: action === 'close' ? 'closed' : 'cancelled',
    })),
    listCampaignItems: jest
      .fn()
      .mockResolvedValue({ items: [escalatedItem], totalItems: 1 }),
    listExceptions: jest.fn().mockResolvedValue({ items: [exceptionRequest] }),
    decideException: jest.fn(async (_id, approve, reason) => ({
      ...exceptionRequest,
      status: approve ? 'approved' : 'rejected',
      decisionReason: reason,
    })),
    getApprovalQueue: jest
      .fn()
      .mockResolvedValue({ items: [approvalItem], totalItems: 1 }),
    decideApproval: jest.fn(async (ref, input) => ({
      identity: ref,
      decision: input.decision === 'approve' ? 'approved' : 'sent-back',
      decidedBy: 'user:default/sam',
      decidedAt: '2026-06-10T00:00:00Z',
      ticket: input.ticket,
      reason: input.reason,
    })),
    listDiscoverySources: jest.fn().mockResolvedValue({
      items: [healthySource, failedSource],
    }),
    listDiscoveredCredentials: jest.fn(async (sourceId: string) => ({
      items: sourceId === healthySource.id ? [undeclaredKey] : [],
    })),
    runDiscoverySource: jest.fn().mockResolvedValue({
      status: 'ok',
      rows: 412,
      summary: {},
      warningCount: 0,
      warnings: [],
    }),
    listEvidenceExports: jest
      .fn()
      .mockResolvedValue({ items: [evidenceExport] }),
    downloadEvidencePackage: jest.fn().mockResolvedValue({
      blob: new Blob(['PK']),
      filename: evidenceFilename,
    }),
    ...overrides,
  };
  return api as FakeNhiApi;
}

/** An error as NhiClient throws it (a ResponseError) for a refused request, with the server's message. */
export function responseError(statusCode: number, message: string): Error {
  const statusText = statusCode === 403 ? 'Forbidden' : 'Conflict';
  const name = statusCode === 403 ? 'NotAllowedError' : 'ConflictError';
  return Object.assign(
    new Error(`Request failed with ${statusCode} ${statusText}`),
    {
      name: 'ResponseError',
      statusCode,
      statusText,
      body: {
        error: { name, message },
        request: { method: 'GET', url: '/api/nhi' },
        response: { statusCode },
      },
      cause: Object.assign(new Error(message), { name }),
    },
  );
}

export function fakeAlertApi() {
  return { post: jest.fn(), alert$: jest.fn() };
}

/**
 * recharts' ResponsiveContainer measures its box, which jsdom lays out as 0×0:
 * give every element a size and a ResizeObserver that does nothing.
 */
export function mockChartLayout() {
  const original = HTMLElement.prototype.getBoundingClientRect;
  beforeAll(() => {
    (globalThis as any).ResizeObserver = class {
      observe() {}
      unobserve() {}
      disconnect() {}
    };
    HTMLElement.prototype.getBoundingClientRect = () =>
      ({
        width: 800,
        height: 400,
        top: 0,
        left: 0,
        right: 800,
        bottom: 400,
        x: 0,
        y: 0,
        toJSON: () => ({}),
      } as DOMRect);
  });
  afterAll(() => {
    HTMLElement.prototype.getBoundingClientRect = original;
  });
}

/** Renders inside a test app with the fake APIs, at `path` (with its query string). */
export async function renderWithApis(
  element: ReactElement,
  options: {
    nhiApi?: FakeNhiApi;
    alertApi?: ReturnType<typeof fakeAlertApi>;
    path?: string;
    /** Whether the user holds the permissions the page asks about (yes unless told). */
    permitted?: boolean;
  } = {},
): Promise<{ nhiApi: FakeNhiApi; alertApi: ReturnType<typeof fakeAlertApi> }> {
  const nhiApi = options.nhiApi ?? fakeNhiApi();
  const alertApi = options.alertApi ?? fakeAlertApi();
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [nhiApiRef, nhiApi],
        [alertApiRef, alertApi],
        [
          permissionApiRef,
          mockApis.permission({
            authorize:
              options.permitted === false
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          }),
        ],
      ]}
    >
      {element}
    </TestApiProvider>,
    {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      routeEntries: [options.path ?? '/'],
    },
  );
  return { nhiApi, alertApi };
}

/**
 * jsdom has no object URLs and no downloads: records each file the page hands to the browser
 * (the `download` name of the link it clicks) instead.
 */
export function mockFileDownloads(): { filenames: string[] } {
  const downloads = { filenames: [] as string[] };
  const original = {
    createObjectURL: URL.createObjectURL,
    revokeObjectURL: URL.revokeObjectURL,
  };
  let click: jest.SpyInstance;
  beforeEach(() => {
    downloads.filenames.length = 0;
    URL.createObjectURL = jest.fn(() => 'blob:http://localhost/evidence');
    URL.revokeObjectURL = jest.fn();
    click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function record(this: HTMLAnchorElement) {
        if (this.href === 'blob:http://localhost/evidence') {
          downloads.filenames.push(this.download);
        }
      });
  });
  afterEach(() => {
    click.mockRestore();
    Object.assign(URL, original);
  });
  return downloads;
}
