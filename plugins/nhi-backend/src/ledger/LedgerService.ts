import type { NhiStores } from '../database/NhiStores';

/** What auditors ask of the ledger as a whole. */
export class LedgerService {
  constructor(private readonly stores: Pick<NhiStores, 'ledger'>) {}

  /** Recomputes the chain up to the head as it stands when verification starts. */
  verify() {
    return this.stores.ledger.verifyLedger();
  }
}
