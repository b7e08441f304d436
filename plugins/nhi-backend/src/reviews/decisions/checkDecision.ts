import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import {
  IdentityView,
  isSeriousFinding,
} from '@nhi-governance/plugin-nhi-common';
import { openFindings } from '../../engine/review';
import { Actor, actsFor } from '../actor';
import type { ReviewSettings } from '../reviewSettings';
import type { StoredReviewItem } from '../store/ReviewItemStore';
import { maySeeItem, noSuchItem } from '../itemVisibility';
import type { DecisionAuthority, DecisionInput } from './types';

/**
 * Every refusal names the item's place in a batch (`where`, e.g. "decisions[2]: "), so a
 * reviewer of forty items learns which one stopped the batch.
 */
type Where = string;

/** Decisions are made or changed only while the item's campaign is open. */
export function checkOpen(item: StoredReviewItem, where: Where) {
  if (item.campaignStatus !== 'open') {
    throw new ConflictError(
      `${where}Campaign ${item.period} is ${item.campaignStatus}: decisions can only be made or changed while it is open`,
    );
  }
}

/** Refuses a decision the actor may not make, or one that is incomplete, before anything is written. */
export function checkDecision(
  actor: Actor,
  authority: DecisionAuthority,
  item: StoredReviewItem,
  input: DecisionInput,
  identity: IdentityView | undefined,
  where: Where,
  settings: Pick<ReviewSettings, 'allowApproverToCertify'>,
) {
  // Before anything else: an item the caller may not see answers as one that is not there.
  if (!maySeeItem(actor, authority.seesEveryItem, item)) {
    throw noSuchItem(item.id, where);
  }
  checkOpen(item, where);
  checkMayDecide(actor, authority, item, identity, where);
  if (!input.justification?.trim()) {
    throw new InputError(
      `${where}justification is required for every decision`,
    );
  }
  if (input.decision === 'reduce-scope')
    checkScopesToRemove(input, identity, where);
  if (input.decision === 'reassign') checkReassignTo(input, item, where);
  if (input.decision === 'certify') {
    checkCertify(actor, item, input, identity, where, settings);
  }
}

/**
 * The assignee's members (or its backup owner's) decide, and security once the item is
 * escalated; the permission policy judges the identity as the item assigns it.
 */
function checkMayDecide(
  actor: Actor,
  authority: DecisionAuthority,
  item: StoredReviewItem,
  identity: IdentityView | undefined,
  where: Where,
): asserts identity is IdentityView {
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
}

function checkScopesToRemove(
  input: DecisionInput,
  identity: IdentityView,
  where: Where,
) {
  const scopes = new Set(identity.scopes);
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

function checkReassignTo(
  input: DecisionInput,
  item: StoredReviewItem,
  where: Where,
) {
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

/**
 * Separation of duties (whoever approved the identity does not also certify it, unless the
 * config allows it), and no certification that silently passes over a serious open finding.
 */
function checkCertify(
  actor: Actor,
  item: StoredReviewItem,
  input: DecisionInput,
  identity: IdentityView,
  where: Where,
  settings: Pick<ReviewSettings, 'allowApproverToCertify'>,
) {
  if (!settings.allowApproverToCertify && item.approvedBy === actor.userRef) {
    throw new NotAllowedError(
      `${where}${actor.userRef} approved ${item.identity} and may not also certify it (separation of duties)`,
    );
  }
  const serious = openFindings(identity.status?.findings ?? []).filter(f =>
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
