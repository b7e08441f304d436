import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { parseEntityRef } from '@backstage/catalog-model';
import createClient from 'openapi-fetch';
import type { paths } from './generated/openapi';
import type { EvidenceScope, NhiApi } from './NhiApi';
import { EVIDENCE_PACKAGE_ENTRIES, ZipEntryScanner } from './zipEntryScanner';
import {
  asFlag,
  asUrlAndInit,
  body,
  narrowed,
  toQueryString,
} from './openapiCalls';

/** Talks to `/api/nhi` with the signed-in user's token (through FetchApi), typed by openapi.yaml. */
export class NhiClient implements NhiApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  /**
   * An openapi-fetch client of the spec's paths. A refusal throws a ResponseError before
   * openapi-fetch reads the body, as every page expects. FetchApi gets a URL and an init that
   * carries the signal, not openapi-fetch's Request (see asUrlAndInit).
   */
  private async api(signal?: AbortSignal) {
    const { discoveryApi, fetchApi } = this.options;
    return createClient<paths>({
      baseUrl: await discoveryApi.getBaseUrl('nhi'),
      querySerializer: query => toQueryString(query as any).slice(1),
      fetch: async request => {
        const response = await fetchApi.fetch(
          ...(await asUrlAndInit(request, signal)),
        );
        if (!response.ok) throw await ResponseError.fromResponse(response);
        return response;
      },
    });
  }

  listIdentities: NhiApi['listIdentities'] = async (query = {}) =>
    narrowed(
      (await this.api()).request('get', '/identities', { params: { query } }),
    );

  listEntityIdentities: NhiApi['listEntityIdentities'] = async (
    { kind, namespace, name },
    query = {},
  ) =>
    narrowed(
      (await this.api()).request(
        'get',
        '/entities/{kind}/{namespace}/{name}/identities',
        {
          params: { path: { kind, namespace, name }, query },
        },
      ),
    );

  getIdentity: NhiApi['getIdentity'] = async (namespace, name) =>
    narrowed(
      (await this.api()).request('get', '/identities/{namespace}/{name}', {
        params: { path: { namespace, name } },
      }),
    );

  getRollups: NhiApi['getRollups'] = async by =>
    narrowed(
      (await this.api()).request('get', '/rollups', {
        params: { query: { by } },
      }),
    );

  getTrend: NhiApi['getTrend'] = async (query = {}) =>
    narrowed(
      (await this.api()).request('get', '/rollups/trend', {
        params: { query },
      }),
    );

  listCampaigns: NhiApi['listCampaigns'] = async status =>
    body(
      (await this.api()).request('get', '/campaigns', {
        params: { query: { status } },
      }),
    );

  getCampaign: NhiApi['getCampaign'] = async id =>
    body(
      (await this.api()).request('get', '/campaigns/{id}', {
        params: { path: { id } },
      }),
    );

  startCampaign: NhiApi['startCampaign'] = async input =>
    body((await this.api()).request('post', '/campaigns', { body: input }));

  changeCampaign: NhiApi['changeCampaign'] = async (id, action) =>
    body(
      (await this.api()).request('post', `/campaigns/{id}/${action}`, {
        params: { path: { id } },
      }),
    );

  listCampaignItems: NhiApi['listCampaignItems'] = async (id, query = {}) =>
    body(
      (await this.api()).request('get', '/campaigns/{id}/items', {
        params: { path: { id }, query },
      }),
    );

  listMyReviewItems: NhiApi['listMyReviewItems'] = async (query = {}) =>
    body(
      (await this.api()).request('get', '/review-items/mine', {
        params: { query },
      }),
    );

  getReviewItem: NhiApi['getReviewItem'] = async id =>
    narrowed(
      (await this.api()).request('get', '/review-items/{id}', {
        params: { path: { id } },
      }),
    );

  decide: NhiApi['decide'] = async (id, input) =>
    body(
      (await this.api()).request('post', '/review-items/{id}/decision', {
        params: { path: { id } },
        body: input,
      }),
    );

  decideBulk: NhiApi['decideBulk'] = async input =>
    body(
      (await this.api()).request('post', '/review-items/decisions', {
        body: input,
      }),
    );

  respondToReassignment: NhiApi['respondToReassignment'] = async (id, input) =>
    narrowed(
      (await this.api()).request('post', '/review-items/{id}/reassignment', {
        params: { path: { id } },
        body: input,
      }),
    );

  listExceptions: NhiApi['listExceptions'] = async (query = {}) =>
    body(
      (await this.api()).request('get', '/exceptions', { params: { query } }),
    );

  requestException: NhiApi['requestException'] = async input =>
    body((await this.api()).request('post', '/exceptions', { body: input }));

  decideException: NhiApi['decideException'] = async (id, approve, reason) =>
    body(
      (await this.api()).request(
        'post',
        approve ? '/exceptions/{id}/approve' : '/exceptions/{id}/reject',
        { params: { path: { id } }, body: { reason } },
      ),
    );

  getApprovalQueue: NhiApi['getApprovalQueue'] = async (query = {}) =>
    body(
      (await this.api()).request('get', '/approvals', { params: { query } }),
    );

  decideApproval: NhiApi['decideApproval'] = async (identityRef, input) => {
    const { namespace, name } = parseEntityRef(identityRef);
    return body(
      (await this.api()).request('post', '/approvals/{namespace}/{name}', {
        params: { path: { namespace, name } },
        body: input,
      }),
    );
  };

  listDiscoverySources: NhiApi['listDiscoverySources'] = async () =>
    narrowed((await this.api()).request('get', '/discovery/sources'));

  listDiscoveredCredentials: NhiApi['listDiscoveredCredentials'] = async (
    id,
    query = {},
  ) =>
    narrowed(
      (await this.api()).request('get', '/discovery/sources/{id}/credentials', {
        params: {
          path: { id },
          query: {
            ...query,
            undeclared: asFlag(query.undeclared),
          },
        },
      }),
    );

  runDiscoverySource: NhiApi['runDiscoverySource'] = async id =>
    body(
      (await this.api()).request('post', '/discovery/sources/{id}/run', {
        params: { path: { id } },
      }),
    );

  listEvidenceExports: NhiApi['listEvidenceExports'] = async () =>
    narrowed((await this.api()).request('get', '/evidence/exports'));

  downloadEvidencePackage: NhiApi['downloadEvidencePackage'] = async (
    scope,
    options = {},
  ) => {
    const { onProgress, signal } = options;
    const { response } = await (
      await this.api(signal)
    ).request('get', '/evidence/package', {
      params: { query: { ...scope } },
      parseAs: 'stream',
    });
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
