import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { parseEntityRef } from '@backstage/catalog-model';
import type { EvidenceScope, NhiApi } from './NhiApi';
import { EVIDENCE_PACKAGE_ENTRIES, ZipEntryScanner } from './zipEntryScanner';

type QueryValue = string | number | boolean | string[] | undefined;

/** `?a=1&b=x&b=y`: lists as repeated parameters, undefined and empty lists left out. */
export function toQueryString(query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      params.append(key, String(v));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Talks to `/api/nhi` with the signed-in user's token (through FetchApi). */
export class NhiClient implements NhiApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  /** The response of a request that succeeded; a refusal throws a ResponseError. */
  private async fetch(
    path: string,
    init?: { method?: string; body?: unknown; signal?: AbortSignal },
  ): Promise<Response> {
    const base = await this.options.discoveryApi.getBaseUrl('nhi');
    const response = await this.options.fetchApi.fetch(`${base}${path}`, {
      method: init?.method ?? 'GET',
      signal: init?.signal,
      ...(init?.body !== undefined
        ? {
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(init.body),
          }
        : {}),
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response;
  }

  private async call<T>(
    path: string,
    init?: { method?: string; body?: unknown },
  ): Promise<T> {
    return (await (await this.fetch(path, init)).json()) as T;
  }

  private post<T>(path: string, body: unknown = {}) {
    return this.call<T>(path, { method: 'POST', body });
  }

  listIdentities: NhiApi['listIdentities'] = (query = {}) =>
    this.call(`/identities${toQueryString(query as any)}`);

  listEntityIdentities: NhiApi['listEntityIdentities'] = (entity, query = {}) =>
    this.call(
      `/entities/${encodeURIComponent(entity.kind)}/${encodeURIComponent(
        entity.namespace,
      )}/${encodeURIComponent(entity.name)}/identities${toQueryString(
        query as any,
      )}`,
    );

  getIdentity: NhiApi['getIdentity'] = (namespace, name) =>
    this.call(
      `/identities/${encodeURIComponent(namespace)}/${encodeURIComponent(
        name,
      )}`,
    );

  getRollups: NhiApi['getRollups'] = by =>
    this.call(`/rollups${toQueryString({ by })}`);

  getTrend: NhiApi['getTrend'] = (options = {}) =>
    this.call(`/rollups/trend${toQueryString(options)}`);

  listCampaigns: NhiApi['listCampaigns'] = status =>
    this.call(`/campaigns${toQueryString({ status })}`);

  getCampaign: NhiApi['getCampaign'] = id =>
    this.call(`/campaigns/${encodeURIComponent(id)}`);

  startCampaign: NhiApi['startCampaign'] = input =>
    this.post('/campaigns', input);

  changeCampaign: NhiApi['changeCampaign'] = (id, action) =>
    this.post(`/campaigns/${encodeURIComponent(id)}/${action}`);

  listCampaignItems: NhiApi['listCampaignItems'] = (id, query = {}) =>
    this.call(
      `/campaigns/${encodeURIComponent(id)}/items${toQueryString(query)}`,
    );

  listMyReviewItems: NhiApi['listMyReviewItems'] = (query = {}) =>
    this.call(`/review-items/mine${toQueryString(query)}`);

  getReviewItem: NhiApi['getReviewItem'] = id =>
    this.call(`/review-items/${encodeURIComponent(id)}`);

  decide: NhiApi['decide'] = (itemId, input) =>
    this.post(`/review-items/${encodeURIComponent(itemId)}/decision`, input);

  decideBulk: NhiApi['decideBulk'] = input =>
    this.post('/review-items/decisions', input);

  respondToReassignment: NhiApi['respondToReassignment'] = (itemId, input) =>
    this.post(
      `/review-items/${encodeURIComponent(itemId)}/reassignment`,
      input,
    );

  listExceptions: NhiApi['listExceptions'] = (query = {}) =>
    this.call(`/exceptions${toQueryString(query)}`);

  requestException: NhiApi['requestException'] = input =>
    this.post('/exceptions', input);

  decideException: NhiApi['decideException'] = (id, approve, reason) =>
    this.post(
      `/exceptions/${encodeURIComponent(id)}/${approve ? 'approve' : 'reject'}`,
      { reason },
    );

  getApprovalQueue: NhiApi['getApprovalQueue'] = (page = {}) =>
    this.call(`/approvals${toQueryString(page)}`);

  decideApproval: NhiApi['decideApproval'] = (identityRef, input) => {
    const { namespace, name } = parseEntityRef(identityRef);
    return this.post(
      `/approvals/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`,
      input,
    );
  };

  listDiscoverySources: NhiApi['listDiscoverySources'] = () =>
    this.call('/discovery/sources');

  listDiscoveredCredentials: NhiApi['listDiscoveredCredentials'] = (
    sourceId,
    query = {},
  ) =>
    this.call(
      `/discovery/sources/${encodeURIComponent(
        sourceId,
      )}/credentials${toQueryString(query)}`,
    );

  runDiscoverySource: NhiApi['runDiscoverySource'] = id =>
    this.post(`/discovery/sources/${encodeURIComponent(id)}/run`);

  listEvidenceExports: NhiApi['listEvidenceExports'] = () =>
    this.call('/evidence/exports');

  downloadEvidencePackage: NhiApi['downloadEvidencePackage'] = async (
    scope,
    options = {},
  ) => {
    const { onProgress, signal } = options;
    const response = await this.fetch(
      `/evidence/package${toQueryString({ ...scope })}`,
      { signal },
    );
    const filename =
      attachmentFilename(response.headers.get('Content-Disposition')) ??
      defaultFilename(scope);
    if (!response.body) return { blob: await response.blob(), filename };

    // The package has no Content-Length (it is streamed while it is built): the entry headers
    // that go by are what tells how far it has come.
    const reader = response.body.getReader();
    const scanner = new ZipEntryScanner();
    const chunks: Uint8Array[] = [];
    let receivedBytes = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      receivedBytes += value.length;
      scanner.push(value);
      onProgress?.({
        receivedBytes,
        entry: scanner.entry,
        entryNumber: scanner.index + 1,
        totalEntries: EVIDENCE_PACKAGE_ENTRIES.length,
      });
    }
    // A backend that fails half way can only cut the stream short: without its last entry
    // (the manifest), the package is not one to hand to an auditor.
    if (scanner.index < EVIDENCE_PACKAGE_ENTRIES.length - 1) {
      throw new Error(
        `The package arrived incomplete (it ends ${
          scanner.entry ? `in ${scanner.entry}` : 'before its first file'
        }): export it again`,
      );
    }
    return { blob: new Blob(chunks, { type: 'application/zip' }), filename };
  };
}

/** The file name of `attachment; filename="x.zip"` (or its `filename*=UTF-8''x.zip` form). */
export function attachmentFilename(
  disposition: string | null,
): string | undefined {
  const extended = disposition?.match(/filename\*\s*=\s*UTF-8''([^;]+)/i);
  if (extended) return decodeURIComponent(extended[1].trim());
  const plain = disposition?.match(/filename\s*=\s*"?([^";]+)"?/i);
  return plain?.[1].trim() || undefined;
}

function defaultFilename(scope: EvidenceScope): string {
  return 'campaign' in scope
    ? `nhi-evidence-${scope.campaign}.zip`
    : `nhi-evidence-${scope.from}-${scope.to}.zip`;
}
