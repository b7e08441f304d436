import type { Knex } from 'knex';
import { chunks } from '../../database/chunks';

/**
 * Takes a share lock on the campaigns of these review items, in id order, before the items
 * themselves are locked. A close or cancel on another replica updates the campaign row, so it
 * waits for the decisions already holding it, and decisions that come after it read the
 * campaign as closed: no decision is recorded after its campaign's close. Campaign before
 * items is the one order every writer takes them in. SQLite has one writer and needs none.
 */
export async function holdCampaignsOpen(db: Knex, itemIds: string[]) {
  if (db.client.config.client !== 'pg') return;
  const campaignIds = new Set<string>();
  for (const batch of chunks(itemIds, 500)) {
    const rows = await db('nhi_review_items')
      .whereIn('id', batch)
      .distinct('campaign_id');
    for (const row of rows) campaignIds.add(row.campaign_id);
  }
  for (const batch of chunks([...campaignIds].sort(), 500)) {
    await db('nhi_campaigns')
      .whereIn('id', batch)
      .orderBy('id')
      .forShare()
      .select('id');
  }
}
