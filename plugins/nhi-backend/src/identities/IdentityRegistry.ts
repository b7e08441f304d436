import { createHash } from 'crypto';
import type { NhiStores } from '../database/NhiStores';
import { canonicalJson } from '../ledger/canonicalJson';
import { chunks } from '../database/chunks';
import type { LedgerDraft } from '../ledger/LedgerDraft';

import type { IdentityRecord } from '../engine/types';
import { withdrawFromRollups } from '../rollups/withdrawFromRollups';

export interface SnapshotResult {
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
}

const SNAPSHOT_PAGE = 5000;

/**
 * A source's whole population: a list, or pages read inside the snapshot's transaction (so a
 * source of hundreds of thousands is never held at once, and its reads see what it writes).
 */
export type SnapshotRecords =
  | IdentityRecord[]
  | ((trx: NhiStores) => AsyncIterable<IdentityRecord[]>);

async function* pagesOf(records: IdentityRecord[]) {
  yield* chunks(records, SNAPSHOT_PAGE);
}

export const specHashOf = (record: IdentityRecord) =>
  createHash('sha256').update(canonicalJson(record)).digest('hex');

/**
 * Keeps the identity table in step with a source (the catalog, or what a discovery source found
 * undeclared). A snapshot is the source's whole current population: new identities are
 * registered, changed ones updated, and missing ones marked removed, never deleted. Each change
 * and its ledger entry commit in one transaction: no change without its record. What changes
 * leaves the rollups until its status is recomputed.
 */
export class IdentityRegistry {
  constructor(private readonly stores: NhiStores) {}

  async applySnapshot(
    source: string,
    records: SnapshotRecords,
    now: string,
  ): Promise<SnapshotResult> {
    return this.stores.transaction(async trx => {
      // Queue on the ledger head before reading what is known, so that two syncs at once
      // (two replicas) apply one after the other and never register an identity twice.
      await trx.ledger.lockLedgerHead();
      const known = await trx.identities.readSpecHashes(source);
      const seen = new Set<string>();
      const result = { added: 0, changed: 0, removed: 0, unchanged: 0 };
      // A page at a time, so that the drafts of a large snapshot are never all held at once.
      const pages =
        typeof records === 'function' ? records(trx) : pagesOf(records);
      for await (const page of pages) {
        const upserts: Array<{ record: IdentityRecord; specHash: string }> = [];
        const ledger: LedgerDraft[] = [];
        for (const record of page) {
          seen.add(record.ref);
          const specHash = specHashOf(record);
          const before = known.get(record.ref);
          if (before && before.specHash === specHash && !before.removed) {
            result.unchanged++;
            continue;
          }
          const registered = !before || before.removed;
          if (registered) result.added++;
          else result.changed++;
          upserts.push({ record, specHash });
          ledger.push({
            kind: registered ? 'identity.registered' : 'identity.changed',
            subject: record.ref,
            payload: { source, identity: record, specHash },
          });
        }
        await withdrawFromRollups(
          trx,
          upserts
            .filter(u => known.get(u.record.ref)?.removed === false)
            .map(u => u.record.ref),
        );
        await trx.identities.upsertIdentities(upserts, source, now);
        await trx.ledger.appendLedgerEntries(ledger, now);
      }
      const removed = [...known]
        .filter(([ref, k]) => !seen.has(ref) && !k.removed)
        .map(([ref]) => ref);
      await withdrawFromRollups(trx, removed);
      await trx.identities.markRemoved(removed, now);
      await trx.ledger.appendLedgerEntries(
        removed.map(ref => ({
          kind: 'identity.removed',
          subject: ref,
          payload: { source },
        })),
        now,
      );
      result.removed = removed.length;
      return result;
    });
  }
}
