import { randomUUID } from 'crypto';
import type { NhiStores } from '../database/NhiStores';
import { DateTime } from 'luxon';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type {
  Campaign,
  CampaignDetails,
  CampaignScope,
  CampaignStatus,
} from '@nhi-governance/plugin-nhi-common';
import { StoredCampaign } from './store/CampaignStore';

import type { Actor } from './actor';
import { campaignSubject } from './campaigns/campaignSubject';
import { openCampaign } from './campaigns/openCampaign';
import { reviewPeriod } from './periods';
import type { ReviewServiceDeps } from './ReviewServiceDeps';

/** Who started a campaign: a person, or the review cadence. */
export type Starter = Actor | 'schedule';

/** The ref the ledger records for what the plugin does by itself. */
export const SYSTEM_ACTOR = 'system:nhi';

export interface StartCampaignInput {
  period: string;
  scope: CampaignScope;
  dueAt?: string;
  /** Keep it as a draft: its population is frozen when it is opened. */
  draft?: boolean;
}

/**
 * Campaigns: started on the review cadence or by hand, opened (which freezes the population:
 * one review item per identity in scope, assigned to its owner, with a snapshot of what the
 * reviewer confirms), closed or cancelled. Every step is in the ledger.
 */
export class CampaignService {
  constructor(private readonly deps: ReviewServiceDeps) {}

  async list(now: DateTime, status?: CampaignStatus[]): Promise<Campaign[]> {
    const campaigns = await this.deps.stores.campaigns.listCampaigns(status);
    const progress = await this.deps.stores.campaigns.readProgress(
      campaigns.map(c => c.id),
      now.toUTC().toISO()!,
    );
    return campaigns.map(c => publicCampaign(c, progress.get(c.id)!));
  }

  async get(id: string, now: DateTime): Promise<CampaignDetails> {
    const campaign = await this.deps.stores.campaigns.readCampaign(id);
    if (!campaign) throw new NotFoundError(`No campaign ${id}`);
    const at = now.toUTC().toISO()!;
    const [progress, byGroup] = await Promise.all([
      this.deps.stores.campaigns.readProgress([id], at),
      this.deps.stores.campaigns.readProgressByGroup(id, at),
    ]);
    return { ...publicCampaign(campaign, progress.get(id)!), byGroup };
  }

  async start(
    input: StartCampaignInput,
    starter: Starter,
    now: DateTime,
    scheduleKey?: string,
  ): Promise<CampaignDetails> {
    const at = now.toUTC().toISO()!;
    const dueAt =
      input.dueAt ??
      now.plus(this.deps.settings.campaignDuration).toUTC().toISO()!;
    if (dueAt <= at) {
      throw new InputError('dueAt must be in the future');
    }
    const campaign: StoredCampaign = {
      id: randomUUID(),
      period: input.period,
      scope: input.scope,
      status: 'draft',
      origin: starter === 'schedule' ? 'schedule' : 'manual',
      dueAt,
      createdAt: at,
      createdBy: starter === 'schedule' ? SYSTEM_ACTOR : starter.userRef,
    };
    let refs: string[] = [];
    await this.deps.stores.transaction(async trx => {
      await trx.campaigns.insertCampaign(campaign, scheduleKey);
      await trx.ledger.appendLedgerEntries(
        [
          {
            kind: 'campaign.created',
            subject: campaignSubject(campaign.id),
            payload: {
              campaignId: campaign.id,
              period: campaign.period,
              scope: campaign.scope,
              dueAt,
              createdBy: campaign.createdBy,
              origin: campaign.origin,
            },
          },
        ],
        at,
      );
      if (!input.draft) {
        const { securityGroup } = this.deps.settings;
        refs = await openCampaign(trx, campaign, at, securityGroup);
      }
    });
    if (!input.draft) await this.afterOpen(campaign, refs);
    return this.get(campaign.id, now);
  }

  /** Opens a draft: its population is frozen now. */
  async open(id: string, now: DateTime): Promise<CampaignDetails> {
    const at = now.toUTC().toISO()!;
    let campaign: StoredCampaign | undefined;
    let refs: string[] = [];
    await this.deps.stores.transaction(async trx => {
      campaign = await this.readFor(trx, id, ['draft'], 'opened');
      if (campaign.dueAt <= at) {
        throw new ConflictError(
          `Campaign ${id} was due at ${campaign.dueAt}; a campaign must open before its due date`,
        );
      }
      refs = await openCampaign(
        trx,
        campaign,
        at,
        this.deps.settings.securityGroup,
      );
    });
    await this.afterOpen(campaign!, refs);
    return this.get(id, now);
  }

  /** Closes an open campaign: decisions are final, undecided items stay on the record as such. */
  async close(id: string, actor: Actor, now: DateTime) {
    return this.end(id, 'closed', actor, now);
  }

  /** Cancels a draft or open campaign: its items no longer count for anyone's review. */
  async cancel(id: string, actor: Actor, now: DateTime) {
    return this.end(id, 'cancelled', actor, now);
  }

  /**
   * Starts the campaign of the current period on the review cadence, unless one was started
   * for it already. Replicas race safely: the period is a unique key, and the loser's insert
   * fails without effect.
   */
  async startScheduled(now: DateTime): Promise<StoredCampaign | undefined> {
    const { name } = reviewPeriod(this.deps.policy.reviewCadence, now);
    if (await this.deps.stores.campaigns.hasScheduledCampaign(name))
      return undefined;
    try {
      const started = await this.start(
        { period: name, scope: {} },
        'schedule',
        now,
        name,
      );
      return started;
    } catch (error) {
      if (await this.deps.stores.campaigns.hasScheduledCampaign(name))
        return undefined;
      throw error;
    }
  }

  private async end(
    id: string,
    to: 'closed' | 'cancelled',
    actor: Actor,
    now: DateTime,
  ): Promise<CampaignDetails> {
    const at = now.toUTC().toISO()!;
    let refs: string[] = [];
    await this.deps.stores.transaction(async trx => {
      const campaign = await this.readFor(
        trx,
        id,
        to === 'closed' ? ['open'] : ['draft', 'open'],
        to,
      );
      await trx.campaigns.updateCampaign(id, {
        status: to,
        ...(to === 'closed' ? { closed_at: at } : { cancelled_at: at }),
      });
      const progress = (await trx.campaigns.readProgress([id], at)).get(id)!;
      refs = await trx.reviewItems.readItemRefs(id);
      await trx.governance.refreshGovernance(refs);
      await trx.ledger.appendLedgerEntries(
        [
          {
            kind: `campaign.${to}`,
            subject: campaignSubject(id),
            payload: {
              campaignId: id,
              period: campaign.period,
              by: actor.userRef,
              ...progress,
            },
          },
        ],
        at,
      );
    });
    this.deps.queueIdentities(refs);
    return this.get(id, now);
  }

  private async readFor(
    trx: NhiStores,
    id: string,
    from: CampaignStatus[],
    verb: string,
  ): Promise<StoredCampaign> {
    const campaign = await trx.campaigns.readCampaign(id, true);
    if (!campaign) throw new NotFoundError(`No campaign ${id}`);
    if (!from.includes(campaign.status)) {
      throw new ConflictError(
        `Campaign ${id} is ${campaign.status} and cannot be ${verb}`,
      );
    }
    return campaign;
  }

  /** Each owning group hears once, with its items; recomputes pick up "review due". */
  private async afterOpen(campaign: StoredCampaign, refs: string[]) {
    this.deps.queueIdentities(refs);
    const items = await this.deps.stores.reviewItems.readAssignments(
      campaign.id,
    );
    await this.deps.notifier.send({
      topic: 'nhi.campaign.opened',
      scope: `nhi:campaign:${campaign.id}:opened`,
      link: '/machine-identities/attestations',
      title: count =>
        `Recertification ${campaign.period} is open: ${count} machine identit${
          count === 1 ? 'y' : 'ies'
        } to review by ${campaign.dueAt.slice(0, 10)}`,
      notices: items.map(i => ({
        recipients: [i.assignee, ...(i.backup_owner ? [i.backup_owner] : [])],
        line: i.identity_ref,
      })),
    });
  }
}

function publicCampaign(
  c: StoredCampaign,
  progress: Campaign['progress'],
): Campaign {
  const { remindedAt: _remindedAt, ...rest } = c;
  return { ...rest, progress };
}
