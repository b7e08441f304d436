import type { NhiStores } from '../database/NhiStores';
import type { Policy } from '../policy/Policy';
import type { ReviewSettings } from './reviewSettings';
import type { ReviewNotifier } from './ReviewNotifier';

/** What every review service is built from. */
export interface ReviewServiceDeps {
  stores: NhiStores;
  policy: Policy;
  settings: ReviewSettings;
  notifier: Pick<ReviewNotifier, 'send'>;
  /** Recomputes the statuses of these identities soon (their review facts changed). */
  queueIdentities(refs: string[]): void;
}
