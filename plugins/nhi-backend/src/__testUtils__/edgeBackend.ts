import path from 'path';
import type { Entity } from '@backstage/catalog-model';
import type { Knex } from 'knex';
import { ReviewBackend, startReviewBackend } from './reviewBackend';

const SAM = 'user:default/sam';

/**
 * A real backend with something behind every route the edge tests send requests to: the given
 * identities, a good read of the GCP sample source (so its credentials can be paged through) and
 * a campaign over the payments team with its items.
 */
export async function startEdgeBackend(
  knex: Knex,
  entities: Entity[],
): Promise<{
  backend: ReviewBackend;
  campaignId: string;
  items: Array<{ id: string; identity: string }>;
}> {
  const backend = await startReviewBackend(knex, entities, {
    discovery: {
      sources: [
        {
          id: 'gcp',
          format: 'gcp-service-account-keys',
          path: path.join(
            __dirname,
            '../discovery/__fixtures__/gcp-service-account-keys.json',
          ),
        },
      ],
    },
  });
  await backend.refresh();
  const read = await backend.post('/discovery/sources/gcp/run', {}, SAM);
  if (read.body.status !== 'ok') throw new Error(`gcp read: ${read.text}`);
  const campaign = await backend.post(
    '/campaigns',
    { period: '2026-Q4', scope: { owner: ['group:default/payments'] } },
    SAM,
  );
  if (campaign.status !== 201) throw new Error(`campaign: ${campaign.text}`);
  const items = await backend.get(`/campaigns/${campaign.body.id}/items`, SAM);
  return { backend, campaignId: campaign.body.id, items: items.body.items };
}
