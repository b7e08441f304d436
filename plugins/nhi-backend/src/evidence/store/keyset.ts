import type { Knex } from 'knex';

/** Rows of a query a page at a time, in a stable order, without an offset. */
export async function* keyset<T extends Record<string, any>>(
  query: () => Knex.QueryBuilder,
  key: string,
  pageSize = 1000,
): AsyncGenerator<T> {
  let after: string | undefined;
  for (;;) {
    const q = query().orderBy(key).limit(pageSize);
    if (after !== undefined) q.where(key, '>', after);
    const rows: T[] = await q;
    for (const row of rows) yield row;
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1][key.split('.').pop()!];
  }
}
