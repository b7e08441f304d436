import { isSeriousFinding } from '@nhi-governance/plugin-nhi-common';
import { randomUUID } from 'crypto';
import type { DateTime } from 'luxon';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  FindingCode,
  IdentityView,
  ReviewDecision,
  ReviewDecisionKind,
  ReviewItemDetails,
  ReviewItemState,
} from '@nhi-governance/plugin-nhi-common';
import { StoredReviewItem } from './store/ReviewItemStore';

import type { LedgerDraft } from '../ledger/LedgerDraft';

import { toView } from '../identities/toView';
import { openFindings } from '../engine/review';
import { Actor, actsFor } from './actor';
import type { ReviewServiceDeps } from './ReviewServiceDeps';

/** One decision as asked for. */
export interface DecisionInput {
  itemId: string;
  decision: ReviewDecisionKind;
  justification: string;
  scopesToRemove?: string[];
  reassignTo?: string;
  acknowledgements?: Partial<Record<FindingCode, string>>;
}

/** What the caller may do, decided by the permission framework before the service runs. */
export interface DecisionAuthority {
  /** Whether the permission policy lets the actor decide for this identity as the item assigns it. */
  mayDecide(identity: IdentityView): boolean;
  /** Security: may decide escalated items of any group. */
  isSecurity: boolean;
}

/** Where an item stands after each decision. */
const STATE_AFTER: Record<ReviewDecisionKind, ReviewItemState> = {
  certify: 'decided',
  'reduce-scope': 'decided',
  revoke: 'decided',
  escalate: 'escalated',
  reassign: 'awaiting-reassignment',
};

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
    const refs: string[] = [];
    const escalated: StoredReviewItem[] = [];
    const reassigned: Array<{ item: StoredReviewItem; to: string }> = [];
    const decided = await this.deps.stores.transaction(async trx => {
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
        if (!item)
          throw new NotFoundError(`${where}No review item ${input.itemId}`);
        const identity = await trx.identities.readIdentity(item.identity);
        await this.check(
          actor,
          authority,
          item,
          input,
          identity && toView(identity),
          where,
        );
        checked.push({ item, input });
      }
      const out: ReviewDecision[] = [];
      const drafts: LedgerDraft[] = [];
      for (const { item, input } of checked) {
        const decision: ReviewDecision = {
          version: item.version + 1,
          decision: input.decision,
          justification: input.justification.trim(),
          ...(input.scopesToRemove
            ? { scopesToRemove: input.scopesToRemove }
            : {}),
          ...(input.reassignTo ? { reassignTo: input.reassignTo } : {}),
          ...(input.acknowledgements &&
          Object.keys(input.acknowledgements).length
            ? { acknowledgements: input.acknowledgements }
            : {}),
          decidedBy: actor.userRef,
          decidedAt: at,
          ...(batchId ? { batchId } : {}),
        };
        await trx.reviewItems.insertDecision(item.id, decision);
        await trx.reviewItems.updateReviewItem(item.id, {
          version: decision.version,
          decision: decision.decision,
          decided_by: decision.decidedBy,
          decided_at: at,
          state: STATE_AFTER[input.decision],
          reassign_to: input.decision === 'reassign' ? input.reassignTo! : null,
          ...(input.decision === 'escalate'
            ? { escalated_at: at, escalation_reason: 'reviewer' }
            : {}),
        });
        const { version, decidedAt: _at, ...recorded } = decision;
        drafts.push({
          kind: 'review.decided',
          subject: item.identity,
          payload: {
            campaignId: item.campaignId,
            itemId: item.id,
            version,
            ...recorded,
            snapshotHash: item.snapshotHash,
          },
        });
        for (const withdrawn of await trx.remediations.withdrawRemediations(
          item.id,
          at,
        )) {
          drafts.push({
            kind: 'remediation.withdrawn',
            subject: item.identity,
            payload: { remediationId: withdrawn.id, itemId: item.id, version },
          });
        }
        if (input.decision === 'revoke' || input.decision === 'reduce-scope') {
          const remediation = {
            id: randomUUID(),
            itemId: item.id,
            identity: item.identity,
            kind: input.decision,
            ...(input.scopesToRemove
              ? { scopesToRemove: input.scopesToRemove }
              : {}),
            openedAt: at,
            dueAt: now
              .plus(this.deps.settings.remediationPeriod)
              .toUTC()
              .toISO()!,
          };
          await trx.remediations.insertRemediation(remediation);
          drafts.push({
            kind: 'remediation.opened',
            subject: item.identity,
            payload: {
              remediationId: remediation.id,
              itemId: item.id,
              kind: remediation.kind,
              dueAt: remediation.dueAt,
              ...(remediation.scopesToRemove
                ? { scopesToRemove: remediation.scopesToRemove }
                : {}),
            },
          });
        }
        if (input.decision === 'escalate') escalated.push(item);
        if (input.decision === 'reassign')
          reassigned.push({ item, to: input.reassignTo! });
        refs.push(item.identity);
        out.push(decision);
      }
      await trx.ledger.appendLedgerEntries(drafts, at);
      await trx.governance.refreshGovernance(refs);
      return out;
    });
    this.deps.queueIdentities(refs);
    await this.notifyEscalations(escalated, 'reviewer');
    if (reassigned.length) {
      await this.deps.notifier.send({
        topic: 'nhi.review.reassigned',
        scope: `nhi:reassign:${batchId ?? decided[0].decidedAt}`,
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
    return decided;
  }

  /**
   * The receiving group accepts a reassignment (the item becomes theirs to decide) or declines
   * it (it goes back to the group that asked).
   */
  async respondToReassignment(
    actor: Actor,
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
      if (!item) throw new NotFoundError(`No review item ${itemId}`);
      this.checkOpen(item, '');
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

  private checkOpen(item: StoredReviewItem, where: string) {
    if (item.campaignStatus !== 'open') {
      throw new ConflictError(
        `${where}Campaign ${item.period} is ${item.campaignStatus}: decisions can only be made or changed while it is open`,
      );
    }
  }

  private async check(
    actor: Actor,
    authority: DecisionAuthority,
    item: StoredReviewItem,
    input: DecisionInput,
    identity: IdentityView | undefined,
    where: string,
  ) {
    this.checkOpen(item, where);
    const asAssigned: IdentityView | undefined = identity && {
      ...identity,
      owner: item.assignee,
      backupOwner: item.backupOwner,
    };
    const ownsIt = actsFor(actor, [item.assignee, item.backupOwner]);
    const securityMay = authority.isSecurity && item.state === 'escalated';
    if (
      !asAssigned ||
      !authority.mayDecide(asAssigned) ||
      !(ownsIt || securityMay)
    ) {
      throw new NotAllowedError(
        `${where}Only members of ${item.assignee}${
          item.backupOwner ? ` or ${item.backupOwner}` : ''
        } may decide on ${item.identity}`,
      );
    }
    if (!input.justification?.trim()) {
      throw new InputError(
        `${where}justification is required for every decision`,
      );
    }
    if (input.decision === 'reduce-scope') {
      const scopes = new Set(identity!.scopes);
      const unknown = (input.scopesToRemove ?? []).filter(s => !scopes.has(s));
      if (!input.scopesToRemove?.length) {
        throw new InputError(
          `${where}scopesToRemove must name the scopes to remove`,
        );
      }
      if (unknown.length) {
        throw new InputError(
          `${where}scopesToRemove names scopes the identity does not have: ${unknown.join(
            ', ',
          )}`,
        );
      }
    }
    if (input.decision === 'reassign') {
      if (!input.reassignTo) {
        throw new InputError(
          `${where}reassignTo must name the group to hand the identity to`,
        );
      }
      if (input.reassignTo === item.assignee) {
        throw new InputError(
          `${where}reassignTo must be another group than the current one`,
        );
      }
    }
    if (input.decision === 'certify') {
      if (
        !this.deps.settings.allowApproverToCertify &&
        item.approvedBy === actor.userRef
      ) {
        throw new NotAllowedError(
          `${where}${actor.userRef} approved ${item.identity} and may not also certify it (separation of duties)`,
        );
      }
      const serious = openFindings(identity!.status?.findings ?? []).filter(f =>
        isSeriousFinding(f),
      );
      const missing = serious.filter(
        f => !input.acknowledgements?.[f.code]?.trim(),
      );
      if (missing.length) {
        throw new InputError(
          `${where}acknowledgements must explain each open high-severity finding before certifying, or an exception must cover it: ${missing
            .map(f => f.code)
            .join(', ')}`,
        );
      }
    }
  }
}

export function publicItem(item: StoredReviewItem, decision?: ReviewDecision) {
  const { approvedBy: _a, version: _v, campaignStatus: _s, ...rest } = item;
  return { ...rest, ...(decision ? { decision } : {}) };
}
