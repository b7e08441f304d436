import type {
  RollupDimension,
  RollupsResponse,
} from '@nhi-governance/plugin-nhi-common';
import type { NhiApi } from '../../../api';
import { evidenceFilename, evidenceExport } from './evidenceFixtures';
import {
  failedSource,
  healthySource,
  undeclaredKey,
} from './discoveryFixtures';
import {
  approvalItem,
  closedCampaign,
  escalatedItem,
  exceptionRequest,
  identity,
  openCampaign,
  openCampaignDetails,
} from './reviewFixtures';
import { rollupRows, total, trendPoints } from './rollupFixtures';

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
