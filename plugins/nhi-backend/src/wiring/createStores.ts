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

/** The plugin's stores on its database; the one place that hands `knex` to them. */
export function createStores(db: Knex): NhiStores {
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
    transaction: work => db.transaction(trx => work(createStores(trx))),
    readSnapshot: work =>
      db.client.config.client === 'pg'
        ? db.transaction(trx => work(createStores(trx)), {
            isolationLevel: 'repeatable read',
            readOnly: true,
          })
        : work(createStores(db)),
  };
}
