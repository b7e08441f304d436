import type { DateTime } from 'luxon';
import { ConflictError } from '@backstage/errors';
import { readCheckpoint, signCheckpoint } from '@nhi-governance/nhi-evidence';
import type { NhiStores } from '../../database/NhiStores';
import type { CheckpointSettings } from './checkpointSettings';
import {
  PublishDeps,
  SignedCheckpoint,
  publishCheckpoint,
  readPublishedCheckpoints,
} from './publishCheckpoint';

export const CHECKPOINT_KIND = 'ledger.checkpoint';

/**
 * Signs the ledger's head: on a schedule and with every evidence export. The checkpoint is
 * kept in the ledger (the entry after the one it signs) and then published. Before signing it
 * checks that the ledger still holds what the last checkpoint signed, in the ledger and in the
 * published file: a history rewritten in the database is never signed over.
 */
export class CheckpointSigner {
  constructor(
    private readonly stores: NhiStores,
    private readonly settings: CheckpointSettings,
    private readonly deps: PublishDeps,
  ) {}

  get publicKeyFingerprint() {
    return this.settings.publicKeyFingerprint;
  }

  get verifierKey() {
    return this.settings.verifierKey;
  }

  async sign(now: DateTime): Promise<SignedCheckpoint> {
    const time = now.toUTC().toISO()!;
    const published = await this.lastPublished();
    const signed = await this.stores.transaction(async trx => {
      const head = await trx.ledger.lockLedgerHead();
      const [last] = await trx.ledger.readLedgerOfKind(CHECKPOINT_KIND, 1);
      for (const note of [last?.payload.note, published]) {
        await this.checkStillHolds(trx, note);
      }
      const size = Number(head.seq);
      const note = signCheckpoint(
        { origin: this.settings.origin, size, hash: head.hash, time },
        this.settings.origin,
        this.settings.privateKey,
      );
      const [entry] = await trx.ledger.appendLedgerEntries(
        [
          {
            kind: CHECKPOINT_KIND,
            payload: {
              note,
              publicKeyFingerprint: this.settings.publicKeyFingerprint,
            },
          },
        ],
        time,
      );
      return { seq: entry.seq, size, hash: head.hash, time, note };
    });
    await publishCheckpoint(signed, this.settings.publish, this.deps);
    return signed;
  }

  private async lastPublished(): Promise<unknown> {
    if (!this.settings.publish.file) return undefined;
    const all = await readPublishedCheckpoints(this.settings.publish.file);
    return all[all.length - 1]?.note;
  }

  private async checkStillHolds(trx: NhiStores, note: unknown) {
    if (typeof note !== 'string') return;
    const signed = readCheckpoint(note);
    if ('problem' in signed) return;
    const entry = await trx.ledger.readLedgerEntry(signed.size);
    const holds = signed.size === 0 ? true : entry?.hash === signed.hash;
    if (!holds) {
      throw new ConflictError(
        `The ledger no longer holds what its checkpoint of entry ${
          signed.size
        } signed at ${
          signed.time ?? 'an unknown time'
        }: it was rewritten, and no new checkpoint is signed over it (see GET /ledger/verify)`,
      );
    }
  }
}
