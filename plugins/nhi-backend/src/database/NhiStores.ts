import type { LedgerStore } from '../ledger/store/LedgerStore';
import type { IdentityStore } from '../identities/store/IdentityStore';
import type { IdentityQueryStore } from '../identities/store/IdentityQueryStore';
import type { EventStore } from '../events/store/EventStore';
import type { EventHistoryStore } from '../events/store/EventHistoryStore';
import type { StatusStore } from '../status/store/StatusStore';
import type { RollupStore } from '../status/store/RollupStore';
import type { CampaignStore } from '../reviews/store/CampaignStore';
import type { ReviewItemStore } from '../reviews/store/ReviewItemStore';
import type { ApprovalStore } from '../reviews/store/ApprovalStore';
import type { ExceptionStore } from '../reviews/store/ExceptionStore';
import type { RemediationStore } from '../reviews/store/RemediationStore';
import type { GovernanceStore } from '../reviews/store/GovernanceStore';
import type { DiscoveryStore } from '../discovery/store/DiscoveryStore';
import type { SourceLinkStore } from '../discovery/store/SourceLinkStore';
import type { EvidenceStore } from '../evidence/store/EvidenceStore';
import type { JobLeaseStore } from '../jobs/store/JobLeaseStore';

/**
 * Every feature's store, bound to one connection or one transaction. A change and its ledger
 * entry must commit together, and many changes span features (a decision, its remediation and
 * the identity's governance facts), so services take this unit of work rather than `knex`:
 * `transaction` hands them the same stores bound to one transaction. The SQL of each table
 * lives in its feature's `store/` only.
 */
export interface NhiStores {
  ledger: LedgerStore;
  identities: IdentityStore;
  identityQueries: IdentityQueryStore;
  events: EventStore;
  eventHistory: EventHistoryStore;
  status: StatusStore;
  rollups: RollupStore;
  campaigns: CampaignStore;
  reviewItems: ReviewItemStore;
  approvals: ApprovalStore;
  exceptions: ExceptionStore;
  remediations: RemediationStore;
  governance: GovernanceStore;
  discovery: DiscoveryStore;
  sourceLinks: SourceLinkStore;
  evidence: EvidenceStore;
  /** Running jobs' leases: never inside a transaction, so they show to every replica at once. */
  leases: JobLeaseStore;
  /** Runs `work` in one transaction (a savepoint when already inside one). */
  transaction<T>(work: (tx: NhiStores) => Promise<T>): Promise<T>;
  /**
   * Runs `work` on one consistent read of the database: a read-only repeatable-read
   * transaction on PostgreSQL, so rows written meanwhile are in none of its reads. SQLite,
   * one writer behind one connection, cannot hold a read open that long without stopping
   * the plugin, so there `work` reads the live database (callers cap what they read at a
   * point they fetched first, such as the ledger head).
   */
  readSnapshot<T>(work: (snapshot: NhiStores) => Promise<T>): Promise<T>;
}
