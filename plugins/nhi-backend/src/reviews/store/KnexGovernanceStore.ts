import type { Knex } from 'knex';
import type { GovernanceFacts } from '../../engine/types';
import { canonicalJson } from '../../ledger/canonicalJson';
import { chunks } from '../../database/chunks';
import type { GovernanceStore } from './GovernanceStore';
import { requireTransaction } from '../../database/requireTransaction';

/** Decisions that settle a review: the identity was looked at and a verdict given. */
const REVIEWING_DECISIONS = ['certify', 'reduce-scope', 'revoke'];

/** The facts of one batch of identities, by identity ref, filled in by each reader in turn. */
type FactsByRef = Map<string, GovernanceFacts>;

/** GovernanceStore on the plugin's database (SQLite or PostgreSQL). */
export class KnexGovernanceStore implements GovernanceStore {
  constructor(private readonly db: Knex) {}

  /**
   * Recomputes what reviews, exceptions and approvals say of these identities from their own
   * tables, inside the transaction that changed them, so the engine's input never lags the
   * record. A changed row changes the identity's status digest, and the next recompute of the
   * identity takes it into account.
   */
  async refreshGovernance(refs: string[]): Promise<void> {
    requireTransaction(this.db, 'refreshGovernance');
    for (const batch of chunks([...new Set(refs)], 500)) {
      const facts: FactsByRef = new Map(batch.map(r => [r, {}]));
      await this.readLastReviewed(batch, facts);
      await this.readReviewDue(batch, facts);
      await this.readExceptions(batch, facts);
      await this.readApprovals(batch, facts);
      await this.readRemediations(batch, facts);
      await this.writeFacts(facts);
    }
  }

  private async readLastReviewed(batch: string[], facts: FactsByRef) {
    const reviewed = await this.db('nhi_review_items')
      .join('nhi_campaigns', 'nhi_campaigns.id', 'nhi_review_items.campaign_id')
      .whereIn('identity_ref', batch)
      .whereNot('nhi_campaigns.status', 'cancelled')
      .where('state', 'decided')
      .whereIn('decision', REVIEWING_DECISIONS)
      .groupBy('identity_ref')
      .select('identity_ref', this.db.raw('max(decided_at) as at'));
    for (const r of reviewed) facts.get(r.identity_ref)!.lastReviewedAt = r.at;
  }

  /**
   * The identity's latest request for review, in an open or closed campaign: unanswered, it
   * keeps the review due (then overdue) until a later campaign settles it.
   */
  private async readReviewDue(batch: string[], facts: FactsByRef) {
    const requests = await this.db('nhi_review_items')
      .join('nhi_campaigns', 'nhi_campaigns.id', 'nhi_review_items.campaign_id')
      .whereIn('identity_ref', batch)
      .whereIn('nhi_campaigns.status', ['open', 'closed'])
      .orderBy([
        { column: 'identity_ref', order: 'asc' },
        { column: 'nhi_campaigns.opened_at', order: 'desc' },
        { column: 'nhi_campaigns.id', order: 'desc' },
      ])
      .select('identity_ref', 'state', 'nhi_review_items.due_at as due');
    const latestRequest = new Set<string>();
    for (const r of requests) {
      if (latestRequest.has(r.identity_ref)) continue;
      latestRequest.add(r.identity_ref);
      if (r.state !== 'decided') facts.get(r.identity_ref)!.reviewDueAt = r.due;
    }
  }

  private async readExceptions(batch: string[], facts: FactsByRef) {
    const exceptions = await this.db('nhi_exceptions')
      .whereIn('identity_ref', batch)
      .where('status', 'approved')
      .orderBy(['identity_ref', 'expires_at', 'id']);
    for (const e of exceptions) {
      const f = facts.get(e.identity_ref)!;
      (f.exceptions ??= []).push({
        id: e.id,
        finding: e.finding,
        expiresAt: e.expires_at,
        approvedBy: e.decided_by,
      });
    }
  }

  private async readApprovals(batch: string[], facts: FactsByRef) {
    const approvals = await this.db('nhi_approvals')
      .whereIn('identity_ref', batch)
      .orderBy(['identity_ref', 'decided_at', 'id']);
    for (const a of approvals) {
      const f = facts.get(a.identity_ref)!;
      // The latest decision stands: a send-back after an approval withdraws it.
      if (a.decision === 'approved') {
        f.approval = {
          approvedBy: a.decided_by,
          approvedAt: a.decided_at,
          ...(a.ticket ? { ticket: a.ticket } : {}),
        };
      } else delete f.approval;
    }
  }

  private async readRemediations(batch: string[], facts: FactsByRef) {
    const remediations = await this.db('nhi_remediations')
      .whereIn('identity_ref', batch)
      .whereNull('closed_at')
      .orderBy(['identity_ref', 'due_at', 'id']);
    for (const r of remediations) {
      (facts.get(r.identity_ref)!.remediations ??= []).push({
        id: r.id,
        kind: r.kind,
        dueAt: r.due_at,
      });
    }
  }

  /** An identity with nothing left to say loses its row, so the table holds only live facts. */
  private async writeFacts(facts: FactsByRef) {
    const empty = [...facts].filter(([, f]) => Object.keys(f).length === 0);
    const full = [...facts].filter(([, f]) => Object.keys(f).length > 0);
    if (empty.length) {
      await this.db('nhi_identity_governance')
        .whereIn(
          'identity_ref',
          empty.map(([ref]) => ref),
        )
        .delete();
    }
    if (full.length) {
      await this.db('nhi_identity_governance')
        .insert(
          full.map(([ref, f]) => ({
            identity_ref: ref,
            facts: canonicalJson(f),
          })),
        )
        .onConflict('identity_ref')
        .merge(['facts']);
    }
  }
}
