import type { Knex } from 'knex';
import type { PermissionCriteria } from '@backstage/plugin-permission-common';
import { applyConditions } from '../../database/applyConditions';
import type { IdentityQuery } from '../../permissions/identityResource';
import type {
  ApprovalQueueItem,
  ApprovalRecord,
} from '@nhi-governance/plugin-nhi-common';
import type { ApprovalStore } from './ApprovalStore';
import { requireTransaction } from '../../database/requireTransaction';

/** ApprovalStore on the plugin's database (SQLite or PostgreSQL). */
export class KnexApprovalStore implements ApprovalStore {
  constructor(private readonly db: Knex) {}

  async insertApproval(id: string, a: ApprovalRecord): Promise<void> {
    requireTransaction(this.db, 'insertApproval');
    await this.db('nhi_approvals').insert({
      id,
      identity_ref: a.identity,
      decision: a.decision,
      decided_by: a.decidedBy,
      decided_at: a.decidedAt,
      ticket: a.ticket ?? null,
      reason: a.reason,
    });
  }

  async readApprovals(identity: string): Promise<ApprovalRecord[]> {
    const rows = await this.db('nhi_approvals')
      .where('identity_ref', identity)
      .orderBy([
        { column: 'decided_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ]);
    return rows.map(r => ({
      identity: r.identity_ref,
      decision: r.decision,
      decidedBy: r.decided_by,
      decidedAt: r.decided_at,
      ...(r.ticket ? { ticket: r.ticket } : {}),
      reason: r.reason,
    }));
  }

  /**
   * Present identities with no approval: none in their spec and none from the queue. Those that
   * security sent back stay in the queue, marked, until approved.
   */
  async readApprovalQueue(
    page: { limit: number; offset: number },
    approvable?: PermissionCriteria<IdentityQuery>,
  ): Promise<{ items: ApprovalQueueItem[]; totalItems: number }> {
    const latest = this.db('nhi_approvals as a')
      .select(
        'a.identity_ref',
        'a.decision',
        'a.decided_by',
        'a.decided_at',
        'a.reason',
      )
      .whereNotExists(
        this.db('nhi_approvals as later')
          .whereRaw('later.identity_ref = a.identity_ref')
          .andWhere(q =>
            q
              .whereRaw('later.decided_at > a.decided_at')
              .orWhereRaw(
                'later.decided_at = a.decided_at and later.id > a.id',
              ),
          ),
      )
      .as('latest');
    const base = () => {
      const query = this.db('nhi_identities')
        .leftJoin(latest, 'latest.identity_ref', 'nhi_identities.ref')
        .whereNull('nhi_identities.removed_at')
        .whereNull('nhi_identities.approval')
        .andWhere(q =>
          q
            .whereNull('latest.decision')
            .orWhere('latest.decision', 'sent-back'),
        );
      if (approvable) applyConditions(query, approvable);
      return query;
    };
    const [{ count }] = await base().count({ count: '*' });
    const rows = await base()
      .select(
        'nhi_identities.ref',
        'nhi_identities.type',
        'nhi_identities.owner',
        'nhi_identities.purpose',
        'nhi_identities.environment',
        'nhi_identities.privilege',
        'nhi_identities.first_seen_at',
        'latest.decision',
        'latest.decided_by',
        'latest.decided_at',
        'latest.reason',
      )
      .orderBy([
        { column: 'nhi_identities.first_seen_at', order: 'asc' },
        { column: 'nhi_identities.ref', order: 'asc' },
      ])
      .limit(page.limit)
      .offset(page.offset);
    return {
      totalItems: Number(count),
      items: rows.map(r => ({
        identity: r.ref,
        type: r.type,
        ...(r.owner ? { owner: r.owner } : {}),
        ...(r.purpose ? { purpose: r.purpose } : {}),
        ...(r.environment ? { environment: r.environment } : {}),
        ...(r.privilege ? { privilege: r.privilege } : {}),
        firstSeenAt: r.first_seen_at,
        ...(r.decision === 'sent-back'
          ? {
              sentBack: {
                by: r.decided_by,
                at: r.decided_at,
                reason: r.reason,
              },
            }
          : {}),
      })),
    };
  }
}
