import type { NhiStores } from '../database/NhiStores';
import type { Policy } from '../policy/Policy';
import type { ReviewSettings } from './reviewSettings';
import type { ReviewNotifier } from './ReviewNotifier';
import type { SingleFlight } from '../jobs/SingleFlight';

/** What every review service is built from. */
export interface ReviewServiceDeps {
  stores: NhiStores;
  policy: Policy;
  settings: ReviewSettings;
  notifier: Pick<ReviewNotifier, 'send'>;
  /** Recomputes the statuses of these identities soon (their review facts changed). */
  queueIdentities(refs: string[]): void;
  /** Runs jobs one at a time across replicas; on the stores' leases if absent. */
  flights?: SingleFlight;
}
