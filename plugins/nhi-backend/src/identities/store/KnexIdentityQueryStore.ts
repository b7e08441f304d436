import { toView } from '../toView';
import type { Knex } from 'knex';
import type {
  IdentitySortField,
  IdentityView,
} from '@nhi-governance/plugin-nhi-common';
import type { PermissionCriteria } from '@backstage/plugin-permission-common';
import { applyConditions } from '../../database/applyConditions';
import type { IdentityQuery } from '../../permissions/identityResource';
import { readIdentityRows, withLatestUse } from './KnexIdentityStore';
import type {
  IdentityQueryStore,
  IdentityFilter,
  IdentityPage,
} from './IdentityQueryStore';

const SORT_COLUMNS: Record<IdentitySortField, string> = {
  risk: 'risk',
  name: 'name',
  type: 'type',
  owner: 'owner',
  rotation: 'rotation_status',
  updated: 'updated_at',
};

/** Sort columns that may be NULL (no owner; status not computed yet). */
const NULLABLE_SORT_COLUMNS = new Set(['owner', 'rotation_status']);

const COLUMN_FILTERS: Array<[keyof IdentityFilter, string]> = [
  ['owner', 'owner'],
  ['system', 'system'],
  ['type', 'type'],
  ['environment', 'environment'],
  ['rotation', 'rotation_status'],
  ['usage', 'usage_status'],
  ['review', 'review_status'],
];

function applyFilter(
  query: Knex.QueryBuilder,
  knex: Knex,
  filter: IdentityFilter,
  visible?: PermissionCriteria<IdentityQuery>,
) {
  if (visible) applyConditions(query, visible);
  if (!filter.includeRemoved) query.whereNull('removed_at');
  for (const [key, column] of COLUMN_FILTERS) {
    const values = filter[key] as string[] | undefined;
    if (values?.length) query.whereIn(column, values);
  }
  if (filter.compliant !== undefined) {
    query.where('compliant', filter.compliant);
  }
  if (filter.usedBy?.length) {
    query.whereIn(
      'ref',
      knex('nhi_identity_usages')
        .select('identity_ref')
        .whereIn('entity_ref', filter.usedBy),
    );
  }
  if (filter.finding?.length) {
    query.whereIn(
      'ref',
      knex('nhi_identity_findings')
        .select('identity_ref')
        .whereIn('code', filter.finding),
    );
  }
  return query;
}

/**
 * Sorts a page, NULLs last in both directions (an identity without an owner ends the list
 * either way), then by ref so that pages are stable. The defaults differ (PostgreSQL puts NULLs
 * first when descending, SQLite first when ascending), and knex's `nulls: 'last'` is no help on
 * SQLite: there it sorts by `(col is null)` alone. `NULLS LAST` itself is understood by
 * PostgreSQL and by SQLite since 3.30. NOT NULL columns are sorted plainly, so that PostgreSQL
 * can still walk their index backwards.
 */
function orderPage(query: Knex.QueryBuilder, page: IdentityPage) {
  const column = SORT_COLUMNS[page.sort];
  const direction = page.order === 'asc' ? 'asc' : 'desc';
  if (NULLABLE_SORT_COLUMNS.has(column)) {
    query.orderByRaw(`?? ${direction} nulls last`, [column]);
  } else {
    query.orderBy(column, direction);
  }
  return query.orderBy('ref', 'asc');
}

/** IdentityQueryStore on the plugin's database (SQLite or PostgreSQL). */
export class KnexIdentityQueryStore implements IdentityQueryStore {
  constructor(private readonly db: Knex) {}

  /**
   * One page of identities and the total that match, sorted in the database. `visible` is what
   * the caller may see (a conditional permission decision), applied in the same query.
   */
  async listIdentities(
    filter: IdentityFilter,
    page: IdentityPage,
    visible?: PermissionCriteria<IdentityQuery>,
  ): Promise<{ items: IdentityView[]; totalItems: number }> {
    const matching = () =>
      applyFilter(this.db('nhi_identities'), this.db, filter, visible);
    const [{ count }] = await matching().count({ count: '*' });
    const rows = await orderPage(withLatestUse(matching()), page)
      .limit(page.limit)
      .offset(page.offset);
    return {
      items: readIdentityRows(rows).map(toView),
      totalItems: Number(count),
    };
  }

  /** Every identity that matches, a page at a time in ref order, without an offset. */
  async *streamIdentities(
    filter: IdentityFilter,
    pageSize = 1000,
  ): AsyncGenerator<IdentityView[]> {
    let after = '';
    for (;;) {
      const rows = await withLatestUse(
        applyFilter(this.db('nhi_identities'), this.db, filter),
      )
        .where('ref', '>', after)
        .orderBy('ref')
        .limit(pageSize);
      if (rows.length) yield readIdentityRows(rows).map(toView);
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1].ref;
    }
  }
}
