import { randomUUID } from 'crypto';
import type { DateTime } from 'luxon';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type {
  ReviewDecision,
  ReviewItemDetails,
} from '@nhi-governance/plugin-nhi-common';
import { StoredReviewItem } from './store/ReviewItemStore';
import type { NhiStores } from '../database/NhiStores';
import type { LedgerDraft } from '../ledger/LedgerDraft';
import { toView } from '../identities/toView';
import { Actor, actsFor } from './actor';
import type { ReviewServiceDeps } from './ReviewServiceDeps';
import { applyDecision } from './decisions/applyDecision';
import { checkDecision, checkOpen } from './decisions/checkDecision';
import { publicItem } from './decisions/publicItem';
import { maySeeItem, noSuchItem } from './itemVisibility';
import type { DecisionAuthority, DecisionInput } from './decisions/types';

/**
 * Decisions on review items, one or a batch. A batch is all or nothing: every item is checked
 * first (that it exists, its campaign is open, the actor may decide it, the decision is
 * complete), and one problem refuses the whole batch with nothing applied. Each item still
 * gets its own version, and the batch shares an id.
 *
 * The items are locked while their versions are taken, so two decisions on one item at the
 * same moment both land, one after the other, in the order they took the lock.
 */
export class DecisionService {
  constructor(private readonly deps: ReviewServiceDeps) {}

  async details(id: string): Promise<ReviewItemDetails> {
    const item = (await this.deps.stores.reviewItems.readReviewItems([id])).get(
      id,
    );
    if (!item) throw new NotFoundError(`No review item ${id}`);
    const [history, remediations, ledger] = await Promise.all([
      this.deps.stores.reviewItems.readDecisionHistory([id]),
      this.deps.stores.remediations.readRemediations({ itemIds: [id] }),
      this.deps.stores.ledger.readLedgerFor(item.identity),
    ]);
    const versions = history.get(id)!;
    return {
      ...publicItem(item, versions[versions.length - 1]),
      history: versions,
      remediations,
      ledger: ledger.filter(e => e.payload.itemId === id),
    };
  }

  async decide(
    actor: Actor,
    authority: DecisionAuthority,
    inputs: DecisionInput[],
    now: DateTime,
    options: { batch: boolean },
  ): Promise<ReviewDecision[]> {
    const at = now.toUTC().toISO()!;
    const batchId = options.batch ? randomUUID() : undefined;
    const context = {
      actor,
      now,
      at,
      batchId,
      remediationPeriod: this.deps.settings.remediationPeriod,
    };
    // Gathered inside the transaction, which the database may make run again (a deadlock).
    const { decided, refs, escalated, reassigned } =
      await this.deps.stores.transaction(async trx => {
        const touched: string[] = [];
        const toEscalate: StoredReviewItem[] = [];
        const handedOn: Array<{ item: StoredReviewItem; to: string }> = [];
        const checked = await this.checkAll(
          trx,
          actor,
          authority,
          inputs,
          options,
        );
        const out: ReviewDecision[] = [];
        const drafts: LedgerDraft[] = [];
        for (const { item, input } of checked) {
          const applied = await applyDecision(trx, item, input, context);
          drafts.push(...applied.drafts);
          if (input.decision === 'escalate') toEscalate.push(item);
          if (input.decision === 'reassign')
            handedOn.push({ item, to: input.reassignTo! });
          touched.push(item.identity);
          out.push(applied.decision);
        }
        await trx.ledger.appendLedgerEntries(drafts, at);
        await trx.governance.refreshGovernance(touched);
        return {
          decided: out,
          refs: touched,
          escalated: toEscalate,
          reassigned: handedOn,
        };
      });
    this.deps.queueIdentities(refs);
    await this.notifyEscalations(escalated, 'reviewer');
    await this.notifyReassignments(
      reassigned,
      batchId ?? decided[0]?.decidedAt,
    );
    return decided;
  }

  /**
   * Checks every decision of the batch before any is written (the items locked), so one
   * problem refuses the whole batch.
   */
  private async checkAll(
    trx: NhiStores,
    actor: Actor,
    authority: DecisionAuthority,
    inputs: DecisionInput[],
    options: { batch: boolean },
  ) {
    const items = await trx.reviewItems.readReviewItems(
      inputs.map(i => i.itemId),
      true,
    );
    const seen = new Set<string>();
    const checked = [];
    for (const [index, input] of inputs.entries()) {
      const where = options.batch ? `decisions[${index}]: ` : '';
      if (seen.has(input.itemId)) {
        throw new InputError(
          `${where}item ${input.itemId} appears twice in the batch`,
        );
      }
      seen.add(input.itemId);
      const item = items.get(input.itemId);
      if (!item) throw noSuchItem(input.itemId, where);
      const identity = await trx.identities.readIdentity(item.identity);
      checkDecision(
        actor,
        authority,
        item,
        input,
        identity && toView(identity),
        where,
        this.deps.settings,
      );
      checked.push({ item, input });
    }
    return checked;
  }

  /** Tells each receiving group which identities were handed to it, to accept or decline. */
  private async notifyReassignments(
    reassigned: Array<{ item: StoredReviewItem; to: string }>,
    batchKey: string,
  ) {
    if (!reassigned.length) return;
    await this.deps.notifier.send({
      topic: 'nhi.review.reassigned',
      scope: `nhi:reassign:${batchKey}`,
      link: '/machine-identities/attestations',
      title: n =>
        `${n} machine identit${
          n === 1 ? 'y' : 'ies'
        } handed to your team: please accept or decline`,
      notices: reassigned.map(({ item, to }) => ({
        recipients: [to],
        line: `${item.identity} (from ${item.assignee})`,
      })),
    });
  }

  /**
   * The receiving group accepts a reassignment (the item becomes theirs to decide) or declines
   * it (it goes back to the group that asked).
   */
  async respondToReassignment(
    actor: Actor,
    seesEveryItem: boolean,
    itemId: string,
    accept: boolean,
    justification: string,
    now: DateTime,
  ) {
    const at = now.toUTC().toISO()!;
    await this.deps.stores.transaction(async trx => {
      const item = (await trx.reviewItems.readReviewItems([itemId], true)).get(
        itemId,
      );
      if (!item || !maySeeItem(actor, seesEveryItem, item)) {
        throw noSuchItem(itemId);
      }
      checkOpen(item, '');
      if (item.state !== 'awaiting-reassignment' || !item.reassignTo) {
        throw new ConflictError(
          `Review item ${itemId} is not awaiting a reassignment`,
        );
      }
      if (!actsFor(actor, [item.reassignTo])) {
        throw new NotAllowedError(
          `Only members of ${item.reassignTo} may accept or decline this reassignment`,
        );
      }
      await trx.reviewItems.updateReviewItem(itemId, {
        state: 'pending',
        reassign_to: null,
        ...(accept ? { assignee: item.reassignTo } : {}),
      });
      await trx.ledger.appendLedgerEntries(
        [
          {
            kind: accept
              ? 'review.reassignment-accepted'
              : 'review.reassignment-declined',
            subject: item.identity,
            payload: {
              campaignId: item.campaignId,
              itemId,
              from: item.assignee,
              to: item.reassignTo,
              by: actor.userRef,
              justification: justification.trim(),
            },
          },
        ],
        at,
      );
    });
    return this.details(itemId);
  }

  /** Tells security, in one message per person, about escalated items. */
  async notifyEscalations(
    items: StoredReviewItem[],
    reason: 'reviewer' | 'non-response',
  ) {
    if (!items.length) return;
    await this.deps.notifier.send({
      topic: 'nhi.review.escalated',
      scope: `nhi:escalated:${items
        .map(i => i.id)
        .sort()
        .join(',')
        .slice(0, 200)}`,
      link: '/machine-identities/security',
      severity: 'high',
      title: n =>
        `${n} machine identit${n === 1 ? 'y' : 'ies'} escalated to security${
          reason === 'non-response' ? ' (review overdue)' : ''
        }`,
      notices: items.map(i => ({
        recipients: [this.deps.settings.securityGroup],
        line: `${i.identity}, owned by ${i.assignee} (${i.period})`,
      })),
    });
  }
}
