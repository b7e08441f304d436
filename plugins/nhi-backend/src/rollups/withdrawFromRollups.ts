import type { NhiStores } from '../database/NhiStores';
import { chunks } from '../database/chunks';
import { JSON_ROWS_CHUNK } from '../database/jsonRows';

import { RollupAccumulator } from './rollupFigures';

/**
 * Takes identities out of the rollups, in the caller's transaction, before a sync changes
 * where they count (owner, system, type, environment) or marks them removed. The rollups count
 * each present identity that has a status under what its row says; a sync clears the status
 * inputs of what it changes, and the next recompute counts it again, under its new values.
 */
export async function withdrawFromRollups(
  trx: NhiStores,
  refs: string[],
): Promise<void> {
  const withdrawn = new RollupAccumulator();
  for (const page of chunks(refs, JSON_ROWS_CHUNK)) {
    const rows = await trx.status.readRecomputePage({ refs: page });
    await trx.status.readRecomputeDetails(rows);
    for (const row of rows) {
      if (row.storedSubject) withdrawn.add(row.storedSubject, -1);
    }
  }
  await trx.rollups.adjustRollups(withdrawn.result());
}
