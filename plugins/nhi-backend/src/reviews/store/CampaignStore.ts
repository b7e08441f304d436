import type {
  Campaign,
  CampaignStatus,
  ReviewProgress,
} from '@nhi-governance/plugin-nhi-common';

export type StoredCampaign = Omit<Campaign, 'progress'> & {
  remindedAt?: string;
};

export interface CampaignRow {
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

export interface CampaignStore {
  insertCampaign(campaign: StoredCampaign, scheduleKey?: string): Promise<void>;

  /** One campaign; with `lock`, its row stays locked for the rest of the transaction. */
  readCampaign(id: string, lock?: boolean): Promise<StoredCampaign | undefined>;

  listCampaigns(status?: CampaignStatus[]): Promise<StoredCampaign[]>;

  hasScheduledCampaign(scheduleKey: string): Promise<boolean>;

  updateCampaign(
    id: string,
    changes: Partial<
      Pick<
        CampaignRow,
        'status' | 'opened_at' | 'closed_at' | 'cancelled_at' | 'reminded_at'
      >
    >,
  ): Promise<void>;

  /** The previous campaign over all identities before `createdAt`, other than cancelled ones. */
  readPreviousCampaign(createdAt: string): Promise<StoredCampaign | undefined>;

  /** Progress of each campaign, overall. */
  readProgress(
    campaignIds: string[],
    now: string,
  ): Promise<Map<string, ReviewProgress>>;

  /** Progress of one campaign per assigned group. */
  readProgressByGroup(
    campaignId: string,
    now: string,
  ): Promise<Array<{ group: string } & ReviewProgress>>;
}
