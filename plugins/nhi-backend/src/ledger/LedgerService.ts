import type { NhiStores } from '../database/NhiStores';
import type { CheckpointSettings } from './checkpoints/checkpointSettings';
import { verifyLedgerWithCheckpoints } from './checkpoints/verifyCheckpoints';

/** What auditors ask of the ledger as a whole. */
export class LedgerService {
  constructor(
    private readonly stores: Pick<NhiStores, 'ledger'>,
    private readonly checkpoints?: CheckpointSettings,
  ) {}

  /**
   * Recomputes the chain up to the head as it stands when verification starts, and holds it
   * to every signed checkpoint, kept in the ledger or published to a file.
   */
  verify() {
    const settings = this.checkpoints;
    return verifyLedgerWithCheckpoints(
      this.stores,
      settings && {
        publicKey: settings.publicKey,
        publicKeyFingerprint: settings.publicKeyFingerprint,
        file: settings.publish.file,
      },
    );
  }
}
