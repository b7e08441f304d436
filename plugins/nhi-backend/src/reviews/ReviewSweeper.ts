import type { DateTime } from 'luxon';

import type { LedgerDraft } from '../ledger/LedgerDraft';

import { StoredReviewItem } from './store/ReviewItemStore';
import { CampaignService, SYSTEM_ACTOR } from './CampaignService';
import type { ReviewServiceDeps } from './ReviewServiceDeps';
import type { DecisionService } from './DecisionService';
import { SingleFlight } from '../jobs/SingleFlight';

export type SweepResult = {
  campaignStarted?: string;
  overdueHandled: number;
  remindersSent: number;
  exceptionsExpired: number;
  expiryNotices: number;
  remediationsClosed: number;
};

/**
 * What recertification does with the passing of time, run by the scheduler (one replica at a
 * time) and on demand: start the campaign of a new period, take the non-response action on
 * overdue items, remind owners before the due date, warn owners of exceptions about to expire
 * and record those that did, and close remediation that events or the catalog show done.
 */
export class ReviewSweeper {
  private readonly flights: SingleFlight;

  constructor(
    private readonly deps: ReviewServiceDeps,
    private readonly campaigns: CampaignService,
    private readonly decisions: DecisionService,
  ) {
    this.flights = deps.flights ?? new SingleFlight(deps.stores.leases);
  }

  /** One sweep on one replica at a time, or a ConflictError (scheduled or asked for). */
  async run(now: DateTime): Promise<SweepResult> {
    return this.flights.run('review-sweep', 'A recertification sweep', () =>
      this.sweep(now),
    );
  }

  private async sweep(now: DateTime): Promise<SweepResult> {
    const started = this.deps.settings.scheduleCampaigns
      ? await this.campaigns.startScheduled(now)
      : undefined;
    const result: SweepResult = {
      ...(started ? { campaignStarted: started.id } : {}),
      overdueHandled: await this.handleOverdue(now),
      remindersSent: await this.remind(now),
      ...(await this.exceptionsOverTime(now)),
      remediationsClosed: await this.closeDoneRemediation(now),
    };
    return result;
  }

  /** The policy's non-response action, once per overdue item. Never an automatic revocation. */
  private async handleOverdue(now: DateTime): Promise<number> {
    const at = now.toUTC().toISO()!;
    const action = this.deps.settings.nonResponseAction;
    let handled: StoredReviewItem[] = [];
    await this.deps.stores.transaction(async trx => {
      handled = await trx.reviewItems.readOverdueItems(at);
      if (!handled.length) return;
      for (const item of handled) {
        await trx.reviewItems.updateReviewItem(item.id, {
          overdue_handled_at: at,
          overdue_action: action,
          ...(action === 'escalate'
            ? {
                state: 'escalated',
                escalated_at: at,
                escalation_reason: 'non-response',
              }
            : {}),
        });
      }
      await trx.ledger.appendLedgerEntries(
        handled.map(item => ({
          kind: 'review.overdue',
          subject: item.identity,
          payload: {
            campaignId: item.campaignId,
            itemId: item.id,
            dueAt: item.dueAt,
            assignee: item.assignee,
            action,
            by: SYSTEM_ACTOR,
          },
        })),
        at,
      );
      await trx.governance.refreshGovernance(handled.map(i => i.identity));
    });
    if (!handled.length) return 0;
    this.deps.queueIdentities(handled.map(i => i.identity));
    if (action === 'keep') return handled.length;
    if (action === 'escalate') {
      await this.decisions.notifyEscalations(handled, 'non-response');
    } else {
      await this.deps.notifier.send({
        topic: 'nhi.review.flagged-for-revocation',
        scope: `nhi:flagged:${at}`,
        link: '/machine-identities/security',
        severity: 'high',
        title: n =>
          `${n} machine identit${
            n === 1 ? 'y was' : 'ies were'
          } not reviewed in time and are flagged for revocation`,
        notices: handled.map(i => ({
          recipients: [this.deps.settings.securityGroup, i.assignee],
          line: `${i.identity}, owned by ${i.assignee} (${i.period})`,
        })),
      });
    }
    return handled.length;
  }

  /** One reminder per open campaign, to the people with items still to decide. */
  private async remind(now: DateTime): Promise<number> {
    const at = now.toUTC().toISO()!;
    const soon = now.plus(this.deps.settings.reminderBefore).toUTC().toISO()!;
    let sent = 0;
    for (const campaign of await this.deps.stores.campaigns.listCampaigns([
      'open',
    ])) {
      if (campaign.remindedAt || campaign.dueAt > soon || campaign.dueAt <= at)
        continue;
      const pending = await this.deps.stores.reviewItems.readAssignments(
        campaign.id,
        ['pending', 'awaiting-reassignment'],
      );
      await this.deps.stores.transaction(async trx => {
        await trx.campaigns.updateCampaign(campaign.id, { reminded_at: at });
        await trx.ledger.appendLedgerEntries(
          [
            {
              kind: 'campaign.reminded',
              subject: `campaign:${campaign.id}`,
              payload: {
                campaignId: campaign.id,
                pending: pending.length,
                dueAt: campaign.dueAt,
              },
            },
          ],
          at,
        );
      });
      sent += await this.deps.notifier.send({
        topic: 'nhi.campaign.reminder',
        scope: `nhi:campaign:${campaign.id}:reminder`,
        link: '/machine-identities/attestations',
        title: n =>
          `Reminder: ${n} machine identit${
            n === 1 ? 'y' : 'ies'
          } to review by ${campaign.dueAt.slice(0, 10)} (${campaign.period})`,
        notices: pending.map(i => ({
          recipients: [
            i.reassign_to ?? i.assignee,
            ...(i.backup_owner ? [i.backup_owner] : []),
          ],
          line: i.identity_ref,
        })),
      });
    }
    return sent;
  }

  /** Warns owners of exceptions about to expire, and records those that have. */
  private async exceptionsOverTime(
    now: DateTime,
  ): Promise<Pick<SweepResult, 'exceptionsExpired' | 'expiryNotices'>> {
    const at = now.toUTC().toISO()!;
    const expired = await this.deps.stores.exceptions.listExceptions({
      expiringBefore: at,
    });
    if (expired.length) {
      await this.deps.stores.transaction(async trx => {
        for (const e of expired)
          await trx.exceptions.updateException(e.id, { status: 'expired' });
        await trx.ledger.appendLedgerEntries(
          expired.map(e => ({
            kind: 'exception.expired',
            subject: e.identity,
            payload: {
              exceptionId: e.id,
              finding: e.finding,
              expiresAt: e.expiresAt,
            },
          })),
          at,
        );
        await trx.governance.refreshGovernance(expired.map(e => e.identity));
      });
      this.deps.queueIdentities(expired.map(e => e.identity));
    }
    const notice = now
      .plus(this.deps.settings.exceptionExpiryNotice)
      .toUTC()
      .toISO()!;
    const soon = (
      await this.deps.stores.exceptions.listExceptions({
        expiringBefore: notice,
      })
    ).filter(e => !e.expiryNoticedAt);
    if (!soon.length)
      return { exceptionsExpired: expired.length, expiryNotices: 0 };
    const owners = await this.deps.stores.identities.readOwners([
      ...new Set(soon.map(e => e.identity)),
    ]);
    await this.deps.stores.transaction(async trx => {
      for (const e of soon)
        await trx.exceptions.updateException(e.id, { expiry_noticed_at: at });
    });
    await this.deps.notifier.send({
      topic: 'nhi.exception.expiring',
      scope: `nhi:exception-expiring:${at}`,
      link: '/machine-identities/attestations',
      severity: 'high',
      title: n =>
        `${n} exception${
          n === 1 ? '' : 's'
        } on your machine identities expire soon`,
      notices: soon.map(e => ({
        recipients: owners.get(e.identity) ?? [e.requestedBy],
        line: `${e.identity}: ${
          e.finding
        } exception expires ${e.expiresAt.slice(0, 10)}`,
      })),
    });
    return { exceptionsExpired: expired.length, expiryNotices: soon.length };
  }

  /**
   * Closes remediation the record shows done: a revoke once a `revoked` event arrived after it
   * was opened, or the identity left the catalog; a scope reduction once none of the scopes to
   * remove is declared any more.
   */
  private async closeDoneRemediation(now: DateTime): Promise<number> {
    const at = now.toUTC().toISO()!;
    const open = await this.deps.stores.remediations.readRemediations({
      open: true,
    });
    if (!open.length) return 0;
    const rows = await this.deps.stores.identities.readRemediationFacts([
      ...new Set(open.map(r => r.identity)),
    ]);
    const byRef = new Map(rows.map(r => [r.ref, r]));
    const done: Array<{ id: string; identity: string; closedBy: string }> = [];
    for (const r of open) {
      const row = byRef.get(r.identity);
      if (!row) continue;
      if (r.kind === 'revoke') {
        if (row.last_revoked_at && row.last_revoked_at >= r.openedAt) {
          done.push({
            id: r.id,
            identity: r.identity,
            closedBy: `revoked event at ${row.last_revoked_at}`,
          });
        } else if (row.removed_at) {
          done.push({
            id: r.id,
            identity: r.identity,
            closedBy: `removed from its source at ${row.removed_at}`,
          });
        }
      } else {
        const scopes = new Set<string>(JSON.parse(row.scopes));
        if (!(r.scopesToRemove ?? []).some(s => scopes.has(s))) {
          done.push({
            id: r.id,
            identity: r.identity,
            closedBy: `scopes changed: ${(r.scopesToRemove ?? []).join(
              ', ',
            )} no longer declared`,
          });
        }
      }
    }
    if (!done.length) return 0;
    await this.deps.stores.transaction(async trx => {
      const drafts: LedgerDraft[] = [];
      for (const d of done) {
        await trx.remediations.closeRemediation(d.id, at, d.closedBy);
        drafts.push({
          kind: 'remediation.closed',
          subject: d.identity,
          payload: { remediationId: d.id, closedBy: d.closedBy },
        });
      }
      await trx.ledger.appendLedgerEntries(drafts, at);
      await trx.governance.refreshGovernance(done.map(d => d.identity));
    });
    this.deps.queueIdentities(done.map(d => d.identity));
    return done.length;
  }
}
