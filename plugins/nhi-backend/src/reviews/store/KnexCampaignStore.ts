import type { Knex } from 'knex';
import type {
  Campaign,
  CampaignScope,
  CampaignStatus,
  ReviewProgress,
} from '@nhi-governance/plugin-nhi-common';
import type {
  CampaignStore,
  CampaignRow,
  StoredCampaign,
} from './CampaignStore';
import { requireTransaction } from '../../database/requireTransaction';

const toCampaign = (row: CampaignRow): StoredCampaign => ({
  id: row.id,
  period: row.period,
  scope: JSON.parse(row.scope),
  status: row.status as CampaignStatus,
  origin: row.origin as Campaign['origin'],
  dueAt: row.due_at,
  createdAt: row.created_at,
  createdBy: row.created_by,
  ...(row.opened_at ? { openedAt: row.opened_at } : {}),
  ...(row.closed_at ? { closedAt: row.closed_at } : {}),
  ...(row.cancelled_at ? { cancelledAt: row.cancelled_at } : {}),
  ...(row.reminded_at ? { remindedAt: row.reminded_at } : {}),
});

const toProgress = (row: any): ReviewProgress => {
  const total = Number(row?.total ?? 0);
  const decided = Number(row?.decided ?? 0);
  return {
    total,
    decided,
    pending: total - decided,
    escalated: Number(row?.escalated ?? 0),
    overdue: Number(row?.overdue ?? 0),
  };
};

export type { CampaignScope };

/** CampaignStore on the plugin's database (SQLite or PostgreSQL). */
export class KnexCampaignStore implements CampaignStore {
  constructor(private readonly db: Knex) {}

  async insertCampaign(
    campaign: StoredCampaign,
    scheduleKey?: string,
  ): Promise<void> {
    requireTransaction(this.db, 'insertCampaign');
    await this.db('nhi_campaigns').insert({
      id: campaign.id,
      period: campaign.period,
      scope: JSON.stringify(campaign.scope),
      status: campaign.status,
      origin: campaign.origin,
      schedule_key: scheduleKey ?? null,
      due_at: campaign.dueAt,
      created_at: campaign.createdAt,
      created_by: campaign.createdBy,
      opened_at: campaign.openedAt ?? null,
    });
  }

  /** One campaign; with `lock`, its row stays locked for the rest of the transaction. */
  async readCampaign(
    id: string,
    lock = false,
  ): Promise<StoredCampaign | undefined> {
    const query = this.db('nhi_campaigns').where({ id }).first();
    if (lock) query.forUpdate();
    const row: CampaignRow | undefined = await query;
    return row && toCampaign(row);
  }

  async listCampaigns(status?: CampaignStatus[]): Promise<StoredCampaign[]> {
    const query = this.db('nhi_campaigns').orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'asc' },
    ]);
    if (status?.length) query.whereIn('status', status);
    return (await query).map(toCampaign);
  }

  async hasScheduledCampaign(scheduleKey: string): Promise<boolean> {
    return !!(await this.db('nhi_campaigns')
      .where({ schedule_key: scheduleKey })
      .first('id'));
  }

  async updateCampaign(
    id: string,
    changes: Partial<
      Pick<
        CampaignRow,
        'status' | 'opened_at' | 'closed_at' | 'cancelled_at' | 'reminded_at'
      >
    >,
  ): Promise<void> {
    requireTransaction(this.db, 'updateCampaign');
    await this.db('nhi_campaigns').where({ id }).update(changes);
  }

  /** The previous campaign over all identities before `createdAt`, other than cancelled ones. */
  async readPreviousCampaign(
    createdAt: string,
  ): Promise<StoredCampaign | undefined> {
    const row = await this.db('nhi_campaigns')
      .whereNot('status', 'cancelled')
      .whereNot('status', 'draft')
      .andWhere('created_at', '<', createdAt)
      .orderBy('created_at', 'desc')
      .first();
    return row && toCampaign(row);
  }

  private PROGRESS_COLUMNS(now: string): Knex.Raw<any>[] {
    return [
      this.db.raw('count(*) as total'),
      this.db.raw(
        `sum(case when state = 'decided' then 1 else 0 end) as decided`,
      ),
      this.db.raw(
        `sum(case when state = 'escalated' then 1 else 0 end) as escalated`,
      ),
      this.db.raw(
        `sum(case when state <> 'decided' and due_at <= ? then 1 else 0 end) as overdue`,
        [now],
      ),
    ];
  }

  /** Progress of each campaign, overall. */
  async readProgress(
    campaignIds: string[],
    now: string,
  ): Promise<Map<string, ReviewProgress>> {
    const rows = await this.db('nhi_review_items')
      .whereIn('campaign_id', campaignIds)
      .groupBy('campaign_id')
      .select('campaign_id', ...this.PROGRESS_COLUMNS(now));
    const byId = new Map<string, ReviewProgress>(
      campaignIds.map(id => [id, toProgress(undefined)]),
    );
    for (const row of rows) byId.set(row.campaign_id, toProgress(row));
    return byId;
  }

  /** Progress of one campaign per assigned group. */
  async readProgressByGroup(
    campaignId: string,
    now: string,
  ): Promise<Array<{ group: string } & ReviewProgress>> {
    const rows = await this.db('nhi_review_items')
      .where('campaign_id', campaignId)
      .groupBy('assignee')
      .orderBy('assignee')
      .select('assignee', ...this.PROGRESS_COLUMNS(now));
    return rows.map(row => ({ group: row.assignee, ...toProgress(row) }));
  }
}
