import type { Knex } from 'knex';
import type { Remediation } from '@nhi-governance/plugin-nhi-common';
import type { RemediationStore } from './RemediationStore';
import { requireTransaction } from '../../database/requireTransaction';

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

/** RemediationStore on the plugin's database (SQLite or PostgreSQL). */
export class KnexRemediationStore implements RemediationStore {
  constructor(private readonly db: Knex) {}

  async insertRemediation(r: Remediation): Promise<void> {
    requireTransaction(this.db, 'insertRemediation');
    await this.db('nhi_remediations').insert({
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
  async withdrawRemediations(
    itemId: string,
    at: string,
  ): Promise<Remediation[]> {
    requireTransaction(this.db, 'withdrawRemediations');
    const open: RemediationRow[] = await this.db('nhi_remediations')
      .where({ item_id: itemId })
      .whereNull('closed_at');
    if (open.length) {
      await this.db('nhi_remediations')
        .whereIn(
          'id',
          open.map(r => r.id),
        )
        .update({ closed_at: at, closed_by: 'decision changed' });
    }
    return open.map(toRemediation);
  }

  async readRemediations(filter: {
    itemIds?: string[];
    open?: boolean;
  }): Promise<Remediation[]> {
    const query = this.db('nhi_remediations').orderBy([
      { column: 'opened_at', order: 'asc' },
      { column: 'id', order: 'asc' },
    ]);
    if (filter.itemIds) query.whereIn('item_id', filter.itemIds);
    if (filter.open) query.whereNull('closed_at');
    return ((await query) as RemediationRow[]).map(toRemediation);
  }

  async closeRemediation(
    id: string,
    at: string,
    closedBy: string,
  ): Promise<void> {
    requireTransaction(this.db, 'closeRemediation');
    await this.db('nhi_remediations')
      .where({ id })
      .whereNull('closed_at')
      .update({ closed_at: at, closed_by: closedBy });
  }
}
