import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { parseEntityRef } from '@backstage/catalog-model';
import type { NhiApi } from './NhiApi';

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

  private async call<T>(
    path: string,
    init?: { method?: string; body?: unknown },
  ): Promise<T> {
    const base = await this.options.discoveryApi.getBaseUrl('nhi');
    const response = await this.options.fetchApi.fetch(`${base}${path}`, {
      method: init?.method ?? 'GET',
      ...(init?.body !== undefined
        ? {
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(init.body),
          }
        : {}),
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
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
}
