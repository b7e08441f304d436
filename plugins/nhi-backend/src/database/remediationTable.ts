import type { Knex } from 'knex';
import type { Remediation } from '@nhi-governance/plugin-nhi-common';

interface RemediationRow {
  id: string;
  item_id: string;
  identity_ref: string;
  kind: string;
  scopes_to_remove: string | null;
  opened_at: string;
  due_at: string;
  closed_at: string | null;
  closed_by: string | null;
}

const toRemediation = (row: RemediationRow): Remediation => ({
  id: row.id,
  itemId: row.item_id,
  identity: row.identity_ref,
  kind: row.kind as Remediation['kind'],
  ...(row.scopes_to_remove
    ? { scopesToRemove: JSON.parse(row.scopes_to_remove) }
    : {}),
  openedAt: row.opened_at,
  dueAt: row.due_at,
  ...(row.closed_at ? { closedAt: row.closed_at } : {}),
  ...(row.closed_by ? { closedBy: row.closed_by } : {}),
});

export async function insertRemediation(
  trx: Knex.Transaction,
  r: Remediation,
): Promise<void> {
  await trx('nhi_remediations').insert({
    id: r.id,
    item_id: r.itemId,
    identity_ref: r.identity,
    kind: r.kind,
    scopes_to_remove: r.scopesToRemove
      ? JSON.stringify(r.scopesToRemove)
      : null,
    opened_at: r.openedAt,
    due_at: r.dueAt,
  });
}

/** Open remediation of one item: a changed decision withdraws it. */
export async function withdrawRemediations(
  trx: Knex.Transaction,
  itemId: string,
  at: string,
): Promise<Remediation[]> {
  const open: RemediationRow[] = await trx('nhi_remediations')
    .where({ item_id: itemId })
    .whereNull('closed_at');
  if (open.length) {
    await trx('nhi_remediations')
      .whereIn(
        'id',
        open.map(r => r.id),
      )
      .update({ closed_at: at, closed_by: 'decision changed' });
  }
  return open.map(toRemediation);
}

export async function readRemediations(
  knex: Knex,
  filter: { itemIds?: string[]; open?: boolean },
): Promise<Remediation[]> {
  const query = knex('nhi_remediations').orderBy([
    { column: 'opened_at', order: 'asc' },
    { column: 'id', order: 'asc' },
  ]);
  if (filter.itemIds) query.whereIn('item_id', filter.itemIds);
  if (filter.open) query.whereNull('closed_at');
  return ((await query) as RemediationRow[]).map(toRemediation);
}

export async function closeRemediation(
  trx: Knex.Transaction,
  id: string,
  at: string,
  closedBy: string,
): Promise<void> {
  await trx('nhi_remediations')
    .where({ id })
    .whereNull('closed_at')
    .update({ closed_at: at, closed_by: closedBy });
}
