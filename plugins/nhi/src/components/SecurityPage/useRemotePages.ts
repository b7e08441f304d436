import { useCallback, useState } from 'react';
import { errorMessage } from './errors';

/** What material-table asks for when its `data` is a function. */
export interface RemotePageQuery {
  page: number;
  pageSize: number;
  orderBy?: { field?: unknown };
  orderDirection?: 'asc' | 'desc' | '';
}

/**
 * Feeds a server-paged table: `load` fetches one page, and the hook keeps the total for the
 * title and the last error for a message above the table (material-table only shows its own).
 * `load` should be memoised, since a new one makes a new `data`.
 */
export function useRemotePages<T>(
  load: (query: RemotePageQuery) => Promise<{ items: T[]; totalItems: number }>,
) {
  const [total, setTotal] = useState<number | undefined>();
  const [error, setError] = useState<string | undefined>();
  const data = useCallback(
    async (query: RemotePageQuery) => {
      try {
        const response = await load(query);
        setError(undefined);
        setTotal(response.totalItems);
        return {
          data: response.items,
          page: query.page,
          totalCount: response.totalItems,
        };
      } catch (e) {
        const message = errorMessage(e);
        setError(message);
        throw new Error(message);
      }
    },
    [load],
  );
  return { data, total, error };
}
