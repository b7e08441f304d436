import type { Knex } from 'knex';
import type {
  Campaign,
  CampaignScope,
  CampaignStatus,
  ReviewProgress,
} from '@nhi-governance/plugin-nhi-common';

interface CampaignRow {
  id: string;
  period: string;
  scope: string;
  status: string;
  origin: string;
  schedule_key: string | null;
  due_at: string;
  created_at: string;
  created_by: string;
  opened_at: string | null;
  closed_at: string | null;
  cancelled_at: string | null;
  reminded_at: string | null;
}

export type StoredCampaign = Omit<Campaign, 'progress'> & {
  remindedAt?: string;
};

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

export async function insertCampaign(
  trx: Knex.Transaction,
  campaign: StoredCampaign,
  scheduleKey?: string,
): Promise<void> {
  await trx('nhi_campaigns').insert({
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
export async function readCampaign(
  knex: Knex,
  id: string,
  lock = false,
): Promise<StoredCampaign | undefined> {
  const query = knex('nhi_campaigns').where({ id }).first();
  if (lock) query.forUpdate();
  const row: CampaignRow | undefined = await query;
  return row && toCampaign(row);
}

export async function listCampaigns(
  knex: Knex,
  status?: CampaignStatus[],
): Promise<StoredCampaign[]> {
  const query = knex('nhi_campaigns').orderBy([
    { column: 'created_at', order: 'desc' },
    { column: 'id', order: 'asc' },
  ]);
  if (status?.length) query.whereIn('status', status);
  return (await query).map(toCampaign);
}

export async function hasScheduledCampaign(
  knex: Knex,
  scheduleKey: string,
): Promise<boolean> {
  return !!(await knex('nhi_campaigns')
    .where({ schedule_key: scheduleKey })
    .first('id'));
}

export async function updateCampaign(
  trx: Knex.Transaction,
  id: string,
  changes: Partial<
    Pick<
      CampaignRow,
      'status' | 'opened_at' | 'closed_at' | 'cancelled_at' | 'reminded_at'
    >
  >,
): Promise<void> {
  await trx('nhi_campaigns').where({ id }).update(changes);
}

/** The previous campaign over all identities before `createdAt`, other than cancelled ones. */
export async function readPreviousCampaign(
  knex: Knex,
  createdAt: string,
): Promise<StoredCampaign | undefined> {
  const row = await knex('nhi_campaigns')
    .whereNot('status', 'cancelled')
    .whereNot('status', 'draft')
    .andWhere('created_at', '<', createdAt)
    .orderBy('created_at', 'desc')
    .first();
  return row && toCampaign(row);
}

const PROGRESS_COLUMNS = (knex: Knex, now: string) => [
  knex.raw('count(*) as total'),
  knex.raw(`sum(case when state = 'decided' then 1 else 0 end) as decided`),
  knex.raw(`sum(case when state = 'escalated' then 1 else 0 end) as escalated`),
  knex.raw(
    `sum(case when state <> 'decided' and due_at <= ? then 1 else 0 end) as overdue`,
    [now],
  ),
];

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

/** Progress of each campaign, overall. */
export async function readProgress(
  knex: Knex,
  campaignIds: string[],
  now: string,
): Promise<Map<string, ReviewProgress>> {
  const rows = await knex('nhi_review_items')
    .whereIn('campaign_id', campaignIds)
    .groupBy('campaign_id')
    .select('campaign_id', ...PROGRESS_COLUMNS(knex, now));
  const byId = new Map<string, ReviewProgress>(
    campaignIds.map(id => [id, toProgress(undefined)]),
  );
  for (const row of rows) byId.set(row.campaign_id, toProgress(row));
  return byId;
}

/** Progress of one campaign per assigned group. */
export async function readProgressByGroup(
  knex: Knex,
  campaignId: string,
  now: string,
): Promise<Array<{ group: string } & ReviewProgress>> {
  const rows = await knex('nhi_review_items')
    .where('campaign_id', campaignId)
    .groupBy('assignee')
    .orderBy('assignee')
    .select('assignee', ...PROGRESS_COLUMNS(knex, now));
  return rows.map(row => ({ group: row.assignee, ...toProgress(row) }));
}

export type { CampaignScope };
