import { createHash } from 'crypto';
import type { Knex } from 'knex';
import { canonicalJson } from '../ledger/canonicalJson';
import { LedgerDraft, appendLedgerEntries } from '../database/ledgerTable';
import {
  markRemoved,
  readSpecHashes,
  upsertIdentities,
} from '../database/identityTable';
import type { IdentityRecord } from '../engine/types';

export interface SnapshotResult {
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
}

export const specHashOf = (record: IdentityRecord) =>
  createHash('sha256').update(canonicalJson(record)).digest('hex');

/**
 * Keeps the identity table in step with a source (the catalog, later discovery). A snapshot is
 * the source's whole current population: new identities are registered, changed ones updated,
 * and missing ones marked removed, never deleted. Each change and its ledger entry commit in
 * one transaction: no change without its record.
 */
export class IdentityRegistry {
  constructor(private readonly knex: Knex) {}

  async applySnapshot(
    source: string,
    records: IdentityRecord[],
    now: string,
  ): Promise<SnapshotResult> {
    return this.knex.transaction(async trx => {
      // Queue on the ledger head before reading what is known, so that two syncs at once
      // (two replicas) apply one after the other and never register an identity twice.
      await trx('nhi_ledger_head').where({ id: 1 }).forUpdate().first();
      const known = await readSpecHashes(trx, source);
      const seen = new Set<string>();
      const upserts: Array<{ record: IdentityRecord; specHash: string }> = [];
      const ledger: LedgerDraft[] = [];
      let unchanged = 0;

      for (const record of records) {
        seen.add(record.ref);
        const specHash = specHashOf(record);
        const before = known.get(record.ref);
        if (before && before.specHash === specHash && !before.removed) {
          unchanged++;
          continue;
        }
        upserts.push({ record, specHash });
        ledger.push({
          kind:
            before && !before.removed
              ? 'identity.changed'
              : 'identity.registered',
          subject: record.ref,
          payload: { source, identity: record, specHash },
        });
      }
      const removed = [...known]
        .filter(([ref, k]) => !seen.has(ref) && !k.removed)
        .map(([ref]) => ref);
      for (const ref of removed) {
        ledger.push({
          kind: 'identity.removed',
          subject: ref,
          payload: { source },
        });
      }

      await upsertIdentities(trx, upserts, source, now);
      await markRemoved(trx, removed, now);
      await appendLedgerEntries(trx, ledger, now);
      const added = ledger.filter(l => l.kind === 'identity.registered').length;
      return {
        added,
        changed: upserts.length - added,
        removed: removed.length,
        unchanged,
      };
    });
  }
}
