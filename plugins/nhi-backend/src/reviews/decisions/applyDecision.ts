import { randomUUID } from 'crypto';
import type { DateTime } from 'luxon';
import type {
  ReviewDecision,
  ReviewItemState,
  ReviewDecisionKind,
} from '@nhi-governance/plugin-nhi-common';
import type { NhiStores } from '../../database/NhiStores';
import type { LedgerDraft } from '../../ledger/LedgerDraft';
import type { Actor } from '../actor';
import type { ReviewSettings } from '../reviewSettings';
import type { StoredReviewItem } from '../store/ReviewItemStore';
import type { DecisionInput } from './types';

/** Where an item stands after each decision. */
const STATE_AFTER: Record<ReviewDecisionKind, ReviewItemState> = {
  certify: 'decided',
  'reduce-scope': 'decided',
  revoke: 'decided',
  escalate: 'escalated',
  reassign: 'awaiting-reassignment',
};

/** When and by whom a batch of checked decisions is made. */
export interface DecisionContext {
  actor: Actor;
  now: DateTime;
  at: string;
  batchId?: string;
  remediationPeriod: ReviewSettings['remediationPeriod'];
}

/**
 * Writes one checked decision as the item's next version, withdraws the remediation an earlier
 * version opened, and opens the one a revoke or scope reduction asks for. Answers the decision
 * and the ledger entries that record it (appended by the caller with the rest of the batch).
 */
export async function applyDecision(
  trx: NhiStores,
  item: StoredReviewItem,
  input: DecisionInput,
  context: DecisionContext,
): Promise<{ decision: ReviewDecision; drafts: LedgerDraft[] }> {
  const { at } = context;
  const decision = decisionOf(item, input, context);
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
  const drafts: LedgerDraft[] = [
    {
      kind: 'review.decided',
      subject: item.identity,
      payload: {
        campaignId: item.campaignId,
        itemId: item.id,
        version,
        ...recorded,
        snapshotHash: item.snapshotHash,
      },
    },
  ];
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
    drafts.push(
      await openRemediation(trx, item, input.decision, input, context),
    );
  }
  return { decision, drafts };
}

function decisionOf(
  item: StoredReviewItem,
  input: DecisionInput,
  { actor, at, batchId }: DecisionContext,
): ReviewDecision {
  return {
    version: item.version + 1,
    decision: input.decision,
    justification: input.justification.trim(),
    ...(input.scopesToRemove ? { scopesToRemove: input.scopesToRemove } : {}),
    ...(input.reassignTo ? { reassignTo: input.reassignTo } : {}),
    ...(input.acknowledgements && Object.keys(input.acknowledgements).length
      ? // Parsed from JSON, so no key holds undefined.
        { acknowledgements: input.acknowledgements as Record<string, string> }
      : {}),
    decidedBy: actor.userRef,
    decidedAt: at,
    ...(batchId ? { batchId } : {}),
  };
}

/** The work a revoke or scope reduction leaves to do, due within the remediation period. */
async function openRemediation(
  trx: NhiStores,
  item: StoredReviewItem,
  kind: 'revoke' | 'reduce-scope',
  input: DecisionInput,
  { now, at, remediationPeriod }: DecisionContext,
): Promise<LedgerDraft> {
  const remediation = {
    id: randomUUID(),
    itemId: item.id,
    identity: item.identity,
    kind,
    ...(input.scopesToRemove ? { scopesToRemove: input.scopesToRemove } : {}),
    openedAt: at,
    dueAt: now.plus(remediationPeriod).toUTC().toISO()!,
  };
  await trx.remediations.insertRemediation(remediation);
  return {
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
  };
}
