import type { NhiStores } from '../database/NhiStores';
import type { DateTime } from 'luxon';

import { profileFrom, unusualDays } from '../engine/anomaly';
import type { Policy } from '../policy/Policy';

/**
 * Measures identities whose usage just arrived against their own history, and keeps the
 * unusual days on their facts row for the status engine. Done when usage arrives rather than
 * in every recompute: a scheduled recompute then reads nothing more for identities in daily use.
 */
export class UsageAnalyzer {
  constructor(
    private readonly stores: NhiStores,
    private readonly policy: Policy,
  ) {}

  async analyze(refs: string[], now: DateTime): Promise<void> {
    if (!refs.length) return;
    const profiles = await this.stores.events.readUsageProfiles(
      refs,
      profileFrom(this.policy.anomaly, now),
    );
    await this.stores.events.writeAnomalies(
      [...profiles].map(([ref, days]) => ({
        ref,
        days: unusualDays(days, this.policy.anomaly, now),
      })),
    );
  }
}
