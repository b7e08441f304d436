import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { NhiStores } from '../database/NhiStores';
import { CheckpointSigner } from '../ledger/checkpoints/CheckpointSigner';
import type { CheckpointSettings } from '../ledger/checkpoints/checkpointSettings';
import { LedgerService } from '../ledger/LedgerService';

/**
 * The ledger's verifier, and its signer with the schedule it signs on when a key is configured
 * (`readCheckpointSettings` has already refused a production start without one).
 */
export function createCheckpoints(
  settings: CheckpointSettings | undefined,
  stores: NhiStores,
  deps: { logger: LoggerService; notifications: NotificationService },
) {
  const ledger = new LedgerService(stores, settings);
  if (!settings) {
    deps.logger.warn(
      'The ledger is not signed: set nhi.ledger.checkpoints.signingKeyFile (or signingKeyEnv) to an Ed25519 key',
    );
    return { ledger };
  }
  const signer = new CheckpointSigner(stores, settings, deps);
  return {
    ledger,
    signer,
    schedule: {
      signer,
      frequency: { minutes: settings.frequency.as('minutes') },
    },
  };
}
