import type { RollupDimension } from '@nhi-governance/plugin-nhi-common';
import type { DateTime } from 'luxon';
import type { NhiStores } from '../database/NhiStores';

/** The org-wide rollup security reads: today's figures by a dimension, and their trend. */
export class RollupService {
  constructor(private readonly stores: Pick<NhiStores, 'rollups'>) {}

  async rollups(by: RollupDimension) {
    return { dimension: by, ...(await this.stores.rollups.readRollups(by)) };
  }

  /** The daily points of one rollup key over the last `days` days. */
  async trend(by: RollupDimension, key: string, days: number, now: DateTime) {
    const from = now.minus({ days }).toISODate()!;
    return {
      dimension: by,
      key,
      points: await this.stores.rollups.readTrend(by, key, from),
    };
  }
}
