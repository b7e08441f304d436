import type { ReactNode } from 'react';
import { alertApiRef, identityApiRef } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import type {
  ExceptionRequest,
  ReviewItem,
} from '@nhi-governance/plugin-nhi-common';
import type { NhiApi } from '../../../api';
import { nhiApiRef } from '../../../api';

const DAY = 24 * 60 * 60 * 1000;
export const daysFromNow = (days: number) =>
  new Date(Date.now() + days * DAY).toISOString();

/** A pending item of the payments group: write access, no serious finding, due in 10 days. */
export const dbWriterItem: ReviewItem = {
  id: 'item-1',
  campaignId: 'campaign-1',
  period: '2026-Q4',
  identity: 'machineidentity:default/payments-db-writer',
  assignee: 'group:default/payments',
  dueAt: daysFromNow(10),
  state: 'pending',
  newSinceLastCampaign: false,
  snapshotHash: 'hash-1',
  snapshot: {
    identity: 'machineidentity:default/payments-db-writer',
    type: 'service-account',
    owner: 'group:default/payments',
    backupOwner: 'group:default/platform',
    purpose: 'Settlement writes to the payments database',
    scopes: ['rds:payments:write', 'rds:payments:read'],
    privilege: 'write',
    usedBy: ['component:default/payments-api'],
    environment: 'production',
    rotation: { status: 'ok', lastRotatedAt: '2026-08-01T00:00:00Z' },
    usage: { status: 'active', lastUsedAt: '2026-09-30T10:00:00Z' },
    findings: [
      {
        code: 'rotation-overdue',
        severity: 'medium',
        title: 'Rotation overdue',
      },
    ],
  },
};

/** An overdue item with an open high finding (admin scope). */
export const stripeKeyItem: ReviewItem = {
  id: 'item-2',
  campaignId: 'campaign-1',
  period: '2026-Q4',
  identity: 'machineidentity:default/stripe-api-key',
  assignee: 'group:default/payments',
  dueAt: daysFromNow(-3),
  state: 'pending',
  newSinceLastCampaign: true,
  snapshotHash: 'hash-2',
  snapshot: {
    identity: 'machineidentity:default/stripe-api-key',
    type: 'api-key',
    owner: 'group:default/payments',
    purpose: 'Charges customer cards',
    scopes: ['charges:write', '*'],
    privilege: 'admin',
    usedBy: ['component:default/checkout'],
    rotation: { status: 'overdue' },
    usage: { status: 'dormant' },
    findings: [
      {
        code: 'overprivileged',
        severity: 'high',
        title: 'Admin or wildcard scope',
      },
    ],
  },
};

/** The billing group handed this one to payments, who must accept or decline it. */
export const handedOverItem: ReviewItem = {
  id: 'item-3',
  campaignId: 'campaign-1',
  period: '2026-Q4',
  identity: 'machineidentity:default/invoice-signer',
  assignee: 'group:default/billing',
  dueAt: daysFromNow(20),
  state: 'awaiting-reassignment',
  reassignTo: 'group:default/payments',
  newSinceLastCampaign: false,
  snapshotHash: 'hash-3',
  decision: {
    version: 1,
    decision: 'reassign',
    justification: 'Payments runs the signer now',
    reassignTo: 'group:default/payments',
    decidedBy: 'user:default/bob',
    decidedAt: '2026-10-02T09:00:00Z',
  },
  snapshot: {
    identity: 'machineidentity:default/invoice-signer',
    type: 'certificate',
    owner: 'group:default/billing',
    purpose: 'Signs invoices',
    scopes: ['invoices:sign'],
    privilege: 'write',
    usedBy: [],
    rotation: {},
    usage: {},
    findings: [],
  },
};

export const exceptionRequest: ExceptionRequest = {
  id: 'exc-1',
  identity: 'machineidentity:default/stripe-api-key',
  finding: 'overprivileged',
  justification: 'The provider has no narrower scope',
  compensatingControls: 'IP allow-list and alerting on every use',
  expiresAt: '2027-01-31T00:00:00.000Z',
  requestedBy: 'user:default/alice',
  requestedAt: '2026-10-01T08:00:00Z',
  status: 'approved',
  decidedBy: 'user:default/sec',
  decidedAt: '2026-10-02T08:00:00Z',
  decisionReason: 'Controls are adequate',
};

/** A ResponseError as the nhi client throws it for a refused request. */
export function responseError(status: number, message: string) {
  return ResponseError.fromResponse({
    status,
    statusText: status === 403 ? 'Forbidden' : 'Bad Request',
    url: 'http://localhost/api/nhi',
    headers: { get: () => 'application/json' },
    text: async () =>
      JSON.stringify({
        error: {
          name: status === 403 ? 'NotAllowedError' : 'InputError',
          message,
        },
        response: { statusCode: status },
      }),
  } as any);
}

/** A fake API method that refuses as the server would. */
export const refusing = (status: number, message: string) =>
  jest.fn(async () => {
    throw await responseError(status, message);
  });

export type FakeNhiApi = { [K in keyof NhiApi]?: jest.Mock };

export function fakeNhiApi(overrides: FakeNhiApi = {}): FakeNhiApi {
  return {
    listMyReviewItems: jest.fn().mockResolvedValue({
      items: [dbWriterItem, stripeKeyItem],
      totalItems: 2,
    }),
    decide: jest.fn(async (_id: string, input: { decision: string }) => ({
      version: 2,
      ...input,
      decidedBy: 'user:default/alice',
      decidedAt: new Date().toISOString(),
    })),
    decideBulk: jest.fn(async () => ({ batchId: 'batch-1', decisions: [] })),
    respondToReassignment: jest.fn(async () => handedOverItem),
    listExceptions: jest.fn().mockResolvedValue({ items: [] }),
    requestException: jest.fn(async input => ({
      ...exceptionRequest,
      ...input,
      status: 'pending',
    })),
    ...overrides,
  };
}

export function fakeAlertApi() {
  return { post: jest.fn(), alert$: jest.fn() };
}

/** Renders inside a test app with the fake APIs, signed in as alice of the payments group. */
export async function renderWithApis(
  children: ReactNode,
  options: {
    nhiApi?: FakeNhiApi;
    alertApi?: ReturnType<typeof fakeAlertApi>;
  } = {},
) {
  const nhiApi = options.nhiApi ?? fakeNhiApi();
  const alertApi = options.alertApi ?? fakeAlertApi();
  const identityApi = mockApis.identity({
    userEntityRef: 'user:default/alice',
    ownershipEntityRefs: ['user:default/alice', 'group:default/payments'],
  });
  const result = await renderInTestApp(
    <TestApiProvider
      apis={[
        [nhiApiRef, nhiApi as Partial<NhiApi>],
        [alertApiRef, alertApi],
        [identityApiRef, identityApi],
      ]}
    >
      {children}
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  return {
    container: result.container as HTMLElement,
    unmount: () => result.unmount(),
    nhiApi,
    alertApi,
  };
}
