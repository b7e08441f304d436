import type { Knex } from 'knex';
import type {
  ExceptableFinding,
  ExceptionRequest,
  ExceptionStatus,
} from '@nhi-governance/plugin-nhi-common';
import type {
  ExceptionStore,
  ExceptionRow,
  StoredException,
} from './ExceptionStore';
import { requireTransaction } from '../../database/requireTransaction';

const toException = (row: ExceptionRow): StoredException => ({
  id: row.id,
  identity: row.identity_ref,
  finding: row.finding as ExceptableFinding,
  justification: row.justification,
  compensatingControls: row.compensating_controls,
  expiresAt: row.expires_at,
  requestedBy: row.requested_by,
  requestedAt: row.requested_at,
  status: row.status as ExceptionStatus,
  ...(row.decided_by ? { decidedBy: row.decided_by } : {}),
  ...(row.decided_at ? { decidedAt: row.decided_at } : {}),
  ...(row.decision_reason ? { decisionReason: row.decision_reason } : {}),
  ...(row.expiry_noticed_at ? { expiryNoticedAt: row.expiry_noticed_at } : {}),
});

/** ExceptionStore on the plugin's database (SQLite or PostgreSQL). */
export class KnexExceptionStore implements ExceptionStore {
  constructor(private readonly db: Knex) {}

  async insertException(e: ExceptionRequest): Promise<void> {
    requireTransaction(this.db, 'insertException');
    await this.db('nhi_exceptions').insert({
      id: e.id,
      identity_ref: e.identity,
      finding: e.finding,
      justification: e.justification,
      compensating_controls: e.compensatingControls,
      expires_at: e.expiresAt,
      requested_by: e.requestedBy,
      requested_at: e.requestedAt,
      status: e.status,
    });
  }

  async readException(
    id: string,
    lock = false,
  ): Promise<StoredException | undefined> {
    const query = this.db('nhi_exceptions').where({ id }).first();
    if (lock) query.forUpdate();
    const row: ExceptionRow | undefined = await query;
    return row && toException(row);
  }

  async listExceptions(filter: {
    status?: ExceptionStatus[];
    identity?: string;
    requestedBy?: string;
    /** Approved ones expiring before this time. */
    expiringBefore?: string;
  }): Promise<StoredException[]> {
    const query = this.db('nhi_exceptions').orderBy([
      { column: 'requested_at', order: 'desc' },
      { column: 'id', order: 'asc' },
    ]);
    if (filter.status?.length) query.whereIn('status', filter.status);
    if (filter.identity) query.where('identity_ref', filter.identity);
    if (filter.requestedBy) query.where('requested_by', filter.requestedBy);
    if (filter.expiringBefore) {
      query
        .where('status', 'approved')
        .andWhere('expires_at', '<=', filter.expiringBefore);
    }
    return ((await query) as ExceptionRow[]).map(toException);
  }

  async updateException(
    id: string,
    changes: Partial<
      Pick<
        ExceptionRow,
        | 'status'
        | 'decided_by'
        | 'decided_at'
        | 'decision_reason'
        | 'expiry_noticed_at'
      >
    >,
  ): Promise<void> {
    requireTransaction(this.db, 'updateException');
    await this.db('nhi_exceptions').where({ id }).update(changes);
  }
}
