import type { TableOptions } from '@backstage/core-components';

/**
 * The options of the security page's short lists: dense rows, no search or sorting (the
 * backend decides the order), and pages only once a list outgrows one. `emptyRowsWhenPaging`
 * off: material-table would otherwise pad a short last page with blank rows.
 */
export const compactTable = (rows: number, pageSize = 20): TableOptions => ({
  paging: rows > pageSize,
  pageSize,
  search: false,
  sorting: false,
  padding: 'dense',
  emptyRowsWhenPaging: false,
});

/**
 * The options of a longer list that keeps material-table's sorting: dense rows, pages of
 * `pageSize` once it outgrows one, and search only where asked for.
 */
export const pagedTable = (
  rows: number,
  search: boolean,
  pageSize = 10,
): TableOptions => ({
  paging: rows > pageSize,
  pageSize,
  search,
  padding: 'dense',
  emptyRowsWhenPaging: false,
});
