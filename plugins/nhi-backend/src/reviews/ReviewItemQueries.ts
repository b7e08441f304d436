import type { NhiStores } from '../database/NhiStores';
import { publicItem } from './decisions/publicItem';
import type { ReviewItemFilter } from './store/ReviewItemStore';

/** Review items as served to reviewers and security: a page of items, each with its current decision. */
export class ReviewItemQueries {
  constructor(private readonly stores: Pick<NhiStores, 'reviewItems'>) {}

  async list(
    filter: ReviewItemFilter,
    page: { limit: number; offset: number },
  ) {
    const found = await this.stores.reviewItems.listReviewItems(filter, page);
    const history = await this.stores.reviewItems.readDecisionHistory(
      found.items.map(i => i.id),
    );
    return {
      totalItems: found.totalItems,
      items: found.items.map(item => {
        const versions = history.get(item.id)!;
        return publicItem(item, versions[versions.length - 1]);
      }),
    };
  }
}
