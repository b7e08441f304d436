import { createApiRef } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  DiscoveredCredentialsResponse,
  DiscoveryRunResponse,
  DiscoverySourceHealth,
  ApprovalQueueItem,
  ApprovalRecord,
  Campaign,
  CampaignDetails,
  CampaignStatus,
  EvidenceExportsResponse,
  EvidencePeriod,
  ExceptionRequest,
  ExceptionStatus,
  IdentityDetailsResponse,
  ListIdentitiesResponse,
  ListReviewItemsResponse,
  ReviewDecision,
  ReviewItemDetails,
  ReviewItemState,
  RollupDimension,
  RollupsResponse,
  TrendPoint,
} from '@nhi-governance/plugin-nhi-common';
import type { operations } from './generated/openapi';

/** A JSON request body of an operation of openapi.yaml. */
type JsonBody<Op extends keyof operations> = operations[Op] extends {
  requestBody?: { content: { 'application/json': infer Body } };
}
  ? Body
  : never;

type ListIdentitiesQuery = NonNullable<
  operations['listIdentities']['parameters']['query']
>;

/**
 * Filters, sort and page of an identity list; each filter matches any of its values. The spec
 * also takes a list as one comma-separated string; the pages always hold and send arrays.
 */
export type IdentityListQuery = {
  [K in keyof ListIdentitiesQuery]: string[] extends ListIdentitiesQuery[K]
    ? string[]
    : ListIdentitiesQuery[K];
};

/** One decision as the reviewer gives it. */
export type DecisionInput = JsonBody<'decideReviewItem'>;

export type ExceptionInput = JsonBody<'requestException'>;

/** What an evidence package covers: an audit period, or the period of a campaign. */
export type EvidenceScope = EvidencePeriod | { campaign: string };

/** How far the download of an evidence package has come. */
export interface EvidenceDownloadProgress {
  receivedBytes: number;
  /** The entry of the ZIP being written, once its header has arrived. */
  entry?: string;
  /** 1 for the first entry, 0 before it. */
  entryNumber: number;
  totalEntries: number;
}

/** The nhi backend (`/api/nhi`), as the pages use it. */
export interface NhiApi {
  listIdentities(query?: IdentityListQuery): Promise<ListIdentitiesResponse>;
  /** What a component uses, a group owns, a system contains. */
  listEntityIdentities(
    entity: CompoundEntityRef,
    query?: IdentityListQuery,
  ): Promise<ListIdentitiesResponse>;
  getIdentity(
    namespace: string,
    name: string,
  ): Promise<IdentityDetailsResponse>;
  getRollups(by: RollupDimension): Promise<RollupsResponse>;
  getTrend(options?: {
    by?: RollupDimension;
    key?: string;
    days?: number;
  }): Promise<{ points: TrendPoint[] }>;

  listCampaigns(status?: CampaignStatus[]): Promise<{ items: Campaign[] }>;
  getCampaign(id: string): Promise<CampaignDetails>;
  startCampaign(input: JsonBody<'startCampaign'>): Promise<CampaignDetails>;
  changeCampaign(
    id: string,
    action: 'open' | 'close' | 'cancel',
  ): Promise<CampaignDetails>;
  listCampaignItems(
    id: string,
    query?: {
      group?: string[];
      state?: ReviewItemState[];
      limit?: number;
      offset?: number;
    },
  ): Promise<ListReviewItemsResponse>;

  /** The caller's pending review items across all their groups. */
  listMyReviewItems(query?: {
    state?: ReviewItemState[];
    limit?: number;
    offset?: number;
  }): Promise<ListReviewItemsResponse>;
  getReviewItem(id: string): Promise<ReviewItemDetails>;
  decide(itemId: string, input: DecisionInput): Promise<ReviewDecision>;
  /** One justification for every item; all or nothing. */
  decideBulk(
    input: JsonBody<'decideReviewItems'>,
  ): Promise<{ batchId: string; decisions: ReviewDecision[] }>;
  respondToReassignment(
    itemId: string,
    input: JsonBody<'answerReassignment'>,
  ): Promise<ReviewItemDetails>;

  listExceptions(query?: {
    status?: ExceptionStatus[];
    identity?: string;
    mine?: boolean;
  }): Promise<{ items: ExceptionRequest[] }>;
  requestException(input: ExceptionInput): Promise<ExceptionRequest>;
  decideException(
    id: string,
    approve: boolean,
    reason: string,
  ): Promise<ExceptionRequest>;

  getApprovalQueue(page?: {
    limit?: number;
    offset?: number;
  }): Promise<{ items: ApprovalQueueItem[]; totalItems: number }>;
  decideApproval(
    identityRef: string,
    input: JsonBody<'decideApproval'>,
  ): Promise<ApprovalRecord>;

  /** Each discovery source and how its last run went. */
  listDiscoverySources(): Promise<{ items: DiscoverySourceHealth[] }>;
  /** A page of what a source's last good read listed; `undeclared` keeps those nobody declared. */
  listDiscoveredCredentials(
    sourceId: string,
    query?: { undeclared?: boolean; limit?: number; after?: string },
  ): Promise<DiscoveredCredentialsResponse>;
  /**
   * Reads a source now instead of at its next scheduled time; answers once the read is over.
   * A read that fails is answered with `status: 'failed'` and its error, not thrown.
   */
  runDiscoverySource(id: string): Promise<DiscoveryRunResponse>;
  /** Past evidence exports, newest first. */
  listEvidenceExports(): Promise<EvidenceExportsResponse>;
  /** The evidence package as a ZIP, with progress while the server streams it. */
  downloadEvidencePackage(
    scope: EvidenceScope,
    options?: {
      onProgress?: (progress: EvidenceDownloadProgress) => void;
      signal?: AbortSignal;
    },
  ): Promise<{ blob: Blob; filename: string }>;
}

export const nhiApiRef = createApiRef<NhiApi>({ id: 'plugin.nhi.service' });
