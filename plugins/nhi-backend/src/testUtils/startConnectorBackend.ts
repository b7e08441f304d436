import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { BackendFeature } from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';
import { nhiPlugin } from '../plugin';

/**
 * A real backend with the `nhi` plugin, a module's features and one discovery source that
 * reads `connector` with `settings`, for a connector module's tests: it is driven through the
 * HTTP API as the Discovery tab drives it. The catalog is an empty mock; campaigns are not
 * scheduled.
 *
 * @public
 */
export async function startConnectorBackend(options: {
  features: BackendFeature[];
  sourceId: string;
  connector: string;
  settings?: JsonObject;
  /** More app-config, e.g. the integration the connector takes its credentials from. */
  config?: JsonObject;
}) {
  const { sourceId } = options;
  const { server } = await startTestBackend({
    features: [
      nhiPlugin,
      ...options.features,
      catalogServiceMock.factory({ entities: [] }),
      mockServices.rootConfig.factory({
        data: {
          ...options.config,
          nhi: {
            reviews: { scheduleCampaigns: false },
            discovery: {
              sources: [
                {
                  id: sourceId,
                  connector: options.connector,
                  ...(options.settings ? { settings: options.settings } : {}),
                },
              ],
            },
          },
        },
      }),
    ],
  });
  const get = async (path: string) =>
    (
      await request(server)
        .get(`/api/nhi${path}`)
        .set('Authorization', mockCredentials.user.header())
    ).body;
  return {
    /** POST /discovery/sources/{id}/run: the read as "Read now" starts it. */
    run: () =>
      request(server)
        .post(`/api/nhi/discovery/sources/${sourceId}/run`)
        .set('Authorization', mockCredentials.user.header()),
    /** The source's health, as the Discovery tab shows it. */
    health: async () =>
      (await get('/discovery/sources')).items.find(
        (s: { id: string }) => s.id === sourceId,
      ),
    /** What the source's last good read listed (the first page of 100). */
    credentials: async (): Promise<any[]> =>
      (await get(`/discovery/sources/${sourceId}/credentials?limit=100`)).items,
  };
}
