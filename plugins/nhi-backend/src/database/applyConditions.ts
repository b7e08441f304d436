import type { Knex } from 'knex';
import type { PermissionCriteria } from '@backstage/plugin-permission-common';
import type { IdentityQuery } from '../permissions/identityResource';

/**
 * Turns a conditional permission decision into a WHERE clause, so that lists are filtered in
 * the database and pagination and totals stay right.
 *
 * SQL is three-valued: `owner IN (…)` is NULL, not false, for an identity without an owner, and
 * `NOT (NULL)` is still NULL, so a plain `WHERE NOT (…)` would hide that identity from a
 * `not IS_OWNER` decision although the in-memory rule allows it. Negations are therefore pushed
 * down to the column conditions (De Morgan), where a negated condition reads
 * `col IS NULL OR col NOT IN (…)`: every clause is then true or false, as the rules are.
 */
export function applyConditions(
  query: Knex.QueryBuilder,
  criteria: PermissionCriteria<IdentityQuery>,
  negated = false,
): void {
  if ('allOf' in criteria || 'anyOf' in criteria) {
    const all = 'allOf' in criteria;
    const children = all ? criteria.allOf : criteria.anyOf;
    // NOT (a AND b) = NOT a OR NOT b; NOT (a OR b) = NOT a AND NOT b.
    const conjunction = all !== negated;
    if (children.length === 0) {
      // An empty allOf holds, an empty anyOf does not.
      query.whereRaw(conjunction ? '1 = 1' : '1 = 0');
      return;
    }
    query.where(q => {
      for (const c of children) {
        if (conjunction) q.andWhere(sub => applyConditions(sub, c, negated));
        else q.orWhere(sub => applyConditions(sub, c, negated));
      }
    });
  } else if ('not' in criteria) {
    applyConditions(query, criteria.not, !negated);
  } else if (criteria.values.length === 0) {
    // Nothing is in an empty list; `IN ()` is not valid SQL everywhere.
    query.whereRaw(negated ? '1 = 1' : '1 = 0');
  } else if (negated) {
    const { column, values } = criteria;
    query.where(q => q.whereNull(column).orWhereNotIn(column, values));
  } else {
    query.whereIn(criteria.column, criteria.values);
  }
}
