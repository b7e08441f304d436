import type { Knex } from 'knex';
import type {
  ExceptableFinding,
  ExceptionRequest,
  ExceptionStatus,
} from '@nhi-governance/plugin-nhi-common';

interface ExceptionRow {
  id: string;
  identity_ref: string;
  finding: string;
  justification: string;
  compensating_controls: string;
  expires_at: string;
  requested_by: string;
  requested_at: string;
  status: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_reason: string | null;
  expiry_noticed_at: string | null;
}

export type StoredException = ExceptionRequest & { expiryNoticedAt?: string };

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

export async function insertException(
  trx: Knex.Transaction,
  e: ExceptionRequest,
): Promise<void> {
  await trx('nhi_exceptions').insert({
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

export async function readException(
  knex: Knex,
  id: string,
  lock = false,
): Promise<StoredException | undefined> {
  const query = knex('nhi_exceptions').where({ id }).first();
  if (lock) query.forUpdate();
  const row: ExceptionRow | undefined = await query;
  return row && toException(row);
}

export async function listExceptions(
  knex: Knex,
  filter: {
    status?: ExceptionStatus[];
    identity?: string;
    requestedBy?: string;
    /** Approved ones expiring before this time. */
    expiringBefore?: string;
  },
): Promise<StoredException[]> {
  const query = knex('nhi_exceptions').orderBy([
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

export async function updateException(
  trx: Knex.Transaction,
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
  await trx('nhi_exceptions').where({ id }).update(changes);
}
