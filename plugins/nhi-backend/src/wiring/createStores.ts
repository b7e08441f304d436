import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import type { NhiStores } from '../database/NhiStores';
import { KnexLedgerStore } from '../ledger/store/KnexLedgerStore';
import { KnexIdentityStore } from '../identities/store/KnexIdentityStore';
import { KnexIdentityQueryStore } from '../identities/store/KnexIdentityQueryStore';
import { KnexEventStore } from '../events/store/KnexEventStore';
import { KnexEventHistoryStore } from '../events/store/KnexEventHistoryStore';
import { KnexStatusStore } from '../status/store/KnexStatusStore';
import { KnexRollupStore } from '../status/store/KnexRollupStore';
import { KnexCampaignStore } from '../reviews/store/KnexCampaignStore';
import { KnexReviewItemStore } from '../reviews/store/KnexReviewItemStore';
import { KnexApprovalStore } from '../reviews/store/KnexApprovalStore';
import { KnexExceptionStore } from '../reviews/store/KnexExceptionStore';
import { KnexRemediationStore } from '../reviews/store/KnexRemediationStore';
import { KnexGovernanceStore } from '../reviews/store/KnexGovernanceStore';
import { KnexDiscoveryStore } from '../discovery/store/KnexDiscoveryStore';
import { KnexSourceLinkStore } from '../discovery/store/KnexSourceLinkStore';
import { KnexEvidenceStore } from '../evidence/store/KnexEvidenceStore';
import { KnexJobLeaseStore } from '../jobs/store/KnexJobLeaseStore';
import { retryTransaction } from '../database/retryTransaction';

/**
 * The plugin's stores on its database; the one place that hands `knex` to them. An outermost
 * transaction that the database aborts as a deadlock or serialisation failure runs again
 * (`retryTransaction`); one nested in another is a savepoint, and its outermost one retries.
 */
export function createStores(
  db: Knex,
  options: { logger?: LoggerService } = {},
): NhiStores {
  const within = (trx: Knex.Transaction) => createStores(trx, options);
  return {
    ledger: new KnexLedgerStore(db),
    identities: new KnexIdentityStore(db),
    identityQueries: new KnexIdentityQueryStore(db),
    events: new KnexEventStore(db),
    eventHistory: new KnexEventHistoryStore(db),
    status: new KnexStatusStore(db),
    rollups: new KnexRollupStore(db),
    campaigns: new KnexCampaignStore(db),
    reviewItems: new KnexReviewItemStore(db),
    approvals: new KnexApprovalStore(db),
    exceptions: new KnexExceptionStore(db),
    remediations: new KnexRemediationStore(db),
    governance: new KnexGovernanceStore(db),
    discovery: new KnexDiscoveryStore(db),
    sourceLinks: new KnexSourceLinkStore(db),
    evidence: new KnexEvidenceStore(db),
    leases: new KnexJobLeaseStore(db),
    transaction: work =>
      db.isTransaction
        ? db.transaction(trx => work(within(trx)))
        : retryTransaction(
            () => db.transaction(trx => work(within(trx))),
            options.logger,
          ),
    readSnapshot: work =>
      db.client.config.client === 'pg'
        ? db.transaction(trx => work(within(trx)), {
            isolationLevel: 'repeatable read',
            readOnly: true,
          })
        : work(createStores(db, options)),
  };
}
