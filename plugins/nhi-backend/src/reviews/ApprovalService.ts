import { randomUUID } from 'crypto';
import type { DateTime } from 'luxon';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { PermissionCriteria } from '@backstage/plugin-permission-common';
import type {
  ApprovalRecord,
  IdentityView,
} from '@nhi-governance/plugin-nhi-common';
import { toView } from '../identities/toView';
import type { IdentityQuery } from '../permissions/identityResource';

import type { Actor } from './actor';
import type { ReviewServiceDeps } from './ReviewServiceDeps';

/**
 * The security queue of identities nobody has approved (CC6.2): security approves one,
 * recording who and the ticket, or sends it back to its owner with a reason.
 */
export class ApprovalService {
  constructor(private readonly deps: ReviewServiceDeps) {}

  queue(
    page: { limit: number; offset: number },
    approvable?: PermissionCriteria<IdentityQuery>,
  ) {
    return this.deps.stores.approvals.readApprovalQueue(page, approvable);
  }

  async decide(
    actor: Actor,
    mayApprove: (identity: IdentityView) => boolean,
    identity: string,
    input: {
      decision: 'approve' | 'send-back';
      ticket?: string;
      reason: string;
    },
    now: DateTime,
  ): Promise<ApprovalRecord> {
    const at = now.toUTC().toISO()!;
    if (!input.reason.trim()) throw new InputError('reason is required');
    if (input.decision === 'approve' && !input.ticket?.trim()) {
      throw new InputError(
        'ticket is required to approve: the change or access request behind it',
      );
    }
    const record: ApprovalRecord = {
      identity,
      decision: input.decision === 'approve' ? 'approved' : 'sent-back',
      decidedBy: actor.userRef,
      decidedAt: at,
      ...(input.decision === 'approve' ? { ticket: input.ticket!.trim() } : {}),
      reason: input.reason.trim(),
    };
    let owner: string | undefined;
    await this.deps.stores.transaction(async trx => {
      const stored = await trx.identities.readIdentity(identity);
      if (!stored || stored.removedAt) {
        throw new NotFoundError(`No machine identity ${identity}`);
      }
      if (!mayApprove(toView(stored))) {
        throw new NotAllowedError(
          `Missing permission nhi.exception.approve for ${identity}`,
        );
      }
      owner = stored.record.owner;
      await trx.approvals.insertApproval(randomUUID(), record);
      const { identity: _i, ...payload } = record;
      await trx.ledger.appendLedgerEntries(
        [
          {
            kind:
              record.decision === 'approved'
                ? 'identity.approved'
                : 'identity.sent-back',
            subject: identity,
            payload,
          },
        ],
        at,
      );
      await trx.governance.refreshGovernance([identity]);
    });
    this.deps.queueIdentities([identity]);
    if (record.decision === 'sent-back' && owner) {
      await this.deps.notifier.send({
        topic: 'nhi.identity.sent-back',
        scope: `nhi:sent-back:${identity}:${at}`,
        link: '/machine-identities/attestations',
        title: () => `Security sent ${identity} back for changes`,
        notices: [{ recipients: [owner], line: record.reason }],
      });
    }
    return record;
  }
}
