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

  /**
   * Signs the head as it stands, or `at`: an earlier head that a reader holds a snapshot of
   * (an evidence export), which the ledger must still hold.
   */
  async sign(
    now: DateTime,
    at?: { seq: number; hash: string },
  ): Promise<SignedCheckpoint> {
    const time = now.toUTC().toISO()!;
    const published = await this.lastPublished();
    const signed = await this.stores.transaction(async trx => {
      const current = await trx.ledger.lockLedgerHead();
      const [last] = await trx.ledger.readLedgerOfKind(CHECKPOINT_KIND, 1);
      for (const note of [last?.payload.note, published]) {
        await this.checkStillHolds(trx, note);
      }
      const head = at ?? current;
      await this.checkHolds(trx, { size: Number(head.seq), hash: head.hash });
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
    await this.checkHolds(trx, signed);
  }

  /** The entry a checkpoint names (or is about to) still has the hash it was read with. */
  private async checkHolds(
    trx: NhiStores,
    signed: { size: number; hash: string; time?: string },
  ) {
    if (signed.size === 0) return;
    const entry = await trx.ledger.readLedgerEntry(signed.size);
    if (entry?.hash !== signed.hash) {
      throw new ConflictError(
        `The ledger no longer holds what ${
          signed.time
            ? `its checkpoint of entry ${signed.size} signed at ${signed.time}`
            : `entry ${signed.size} held when it was read`
        }: it was rewritten, and no new checkpoint is signed over it (see GET /ledger/verify)`,
      );
    }
  }
}
