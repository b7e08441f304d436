import type { Knex } from 'knex';
import type { PermissionCriteria } from '@backstage/plugin-permission-common';
import type { IdentityQuery } from './identityResource';

/**
 * Turns a conditional permission decision into a WHERE clause, so that lists are filtered in
 * the database and pagination and totals stay right.
 */
export function applyConditions(
  query: Knex.QueryBuilder,
  criteria: PermissionCriteria<IdentityQuery>,
): void {
  if ('allOf' in criteria) {
    query.where(q => {
      for (const c of criteria.allOf)
        q.andWhere(sub => applyConditions(sub, c));
    });
  } else if ('anyOf' in criteria) {
    query.where(q => {
      for (const c of criteria.anyOf) q.orWhere(sub => applyConditions(sub, c));
    });
  } else if ('not' in criteria) {
    query.whereNot(q => applyConditions(q, criteria.not));
  } else if (criteria.values.length === 0) {
    // Nothing can match an empty list; `IN ()` is not valid SQL everywhere.
    query.whereRaw('1 = 0');
  } else {
    query.whereIn(criteria.column, criteria.values);
  }
}
