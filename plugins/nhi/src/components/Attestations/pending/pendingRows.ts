import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  identityApiRef,
  useApi,
  useApiHolder,
} from '@backstage/core-plugin-api';
import type {
  ReviewDecisionKind,
  ReviewItem,
} from '@nhi-governance/plugin-nhi-common';
import { nhiApiRef } from '../../../api';
import { sameRef } from '../helpers';

/** The most items one request returns (the server's page limit). */
export const PAGE = 500;

export type Row = ReviewItem & {
  /** The caller is in the group asked to take the identity over. */
  receives: boolean;
  /** The caller may decide it (the assignee or backup owner group, as far as the client knows). */
  decides: boolean;
};

/** The review item of a row, without what the table and this view added to it. */
export function toItem(row: Row): ReviewItem {
  const {
    receives: _r,
    decides: _d,
    tableData: _t,
    ...item
  } = row as Row & { tableData?: unknown };
  return item;
}

export type OpenDialog =
  | { kind: 'decision'; decision: ReviewDecisionKind; items: ReviewItem[] }
  | { kind: 'reassignment'; accept: boolean; item: ReviewItem };

/**
 * The caller's pending items (only those of `identityRefs` when given), each marked with what
 * the caller may do: decide it, or receive it from another group.
 */
export function usePendingRows(identityRefs?: string[]) {
  const nhiApi = useApi(nhiApiRef);
  const identityApi = useApiHolder().get(identityApiRef);
  const refsKey = identityRefs?.join('\n');
  return useAsyncRetry(async () => {
    const [page, claims] = await Promise.all([
      nhiApi.listMyReviewItems({ limit: PAGE }),
      identityApi
        ?.getBackstageIdentity()
        .then(i => i.ownershipEntityRefs)
        .catch(() => [] as string[]) ?? Promise.resolve([] as string[]),
    ]);
    const wanted = identityRefs?.map(r => r.toLocaleLowerCase('en-US'));
    const items = wanted
      ? page.items.filter(i =>
          wanted.includes(i.identity.toLocaleLowerCase('en-US')),
        )
      : page.items;
    const actsFor = (ref?: string) => claims.some(c => sameRef(c, ref));
    const rows: Row[] = items.map(item => {
      const receives =
        item.state === 'awaiting-reassignment' && actsFor(item.reassignTo);
      const decides =
        actsFor(item.assignee) || actsFor(item.backupOwner) || !receives;
      return { ...item, receives, decides };
    });
    return { rows, totalItems: page.totalItems };
  }, [nhiApi, identityApi, refsKey]);
}
