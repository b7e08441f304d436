/** An audit period as stored times: `from` inclusive, `to` exclusive (UTC ISO). */
export interface PeriodBounds {
  from: string;
  to: string;
}

/** A contiguous range of the ledger, and the first seq recorded within the period. */
export interface LedgerSlice {
  first: number;
  last: number;
  firstInPeriod: number;
}

export interface EvidenceStore {
  /** Every identity present at some moment of the period, removed ones included. */
  inventoryRows(p: PeriodBounds): AsyncGenerator<any, any, any>;

  /** Review items of the campaigns that were open at some moment of the period. */
  reviewItemRows(p: PeriodBounds): AsyncGenerator<any, any, any>;

  /** Every version of the decisions on these items, oldest first. */
  decisionVersions(itemIds: string[]): Promise<any[]>;

  remediationsOf(itemIds: string[]): Promise<any[]>;

  /** Exception requests alive at some moment of the period. */
  exceptionRows(p: PeriodBounds): AsyncGenerator<any, any, any>;

  /** The security queue's decisions in the period. */
  approvalRows(p: PeriodBounds): AsyncGenerator<any, any, any>;

  /**
   * The seqs of the period's slice of the ledger: from the entry just before the first one recorded
   * in the period (whose hash that one links to) to the first one recorded after it (which shows
   * that nothing of the period is left out), capped at the head the export read. A contiguous
   * range, even where concurrent writers recorded entries a little out of time order.
   */
  ledgerSliceOf(
    p: PeriodBounds,
    headSeq: number,
  ): Promise<LedgerSlice | undefined>;

  /** The entries of a slice of the ledger, in sequence order, a page at a time. */
  ledgerRows(
    slice: LedgerSlice | undefined,
  ): AsyncGenerator<any, void, unknown>;

  /** The present identities of the period, refs only, a page at a time. */
  inventoryRefs(p: PeriodBounds): AsyncGenerator<{ ref: string }, any, any>;

  /**
   * For each of these identities, the latest entry that registered or changed it, and the latest
   * that approved it or sent it back, before entry `beforeSeq`: what the ledger said of it then
   * (when the period began, or ended). Entries in the period are in the slice itself.
   */
  registrationEntries(refs: string[], beforeSeq: number): Promise<any[]>;

  /**
   * Lifecycle events of the period, type by type, in time order: each page continues the index
   * on (type, occurred_at, id) where the last one ended, so no page sorts or rescans the period.
   */
  lifecycleEventRows(p: PeriodBounds): AsyncGenerator<any, void, unknown>;

  /** The status changes of these identities recorded before the period ended, oldest first. */
  statusChangesOf(refs: string[], p: PeriodBounds): Promise<any[]>;

  /** For each of these identities, its last issue or rotation before the period ended. */
  lastRotationsOf(
    refs: string[],
    p: PeriodBounds,
  ): Promise<Map<string, string>>;

  /** For each of these identities, its last recorded use before the period ended. */
  lastUsesOf(refs: string[], p: PeriodBounds): Promise<Map<string, string>>;

  /** The identities of the period with their declared credential and current rotation policy. */
  rotationSubjects(
    p: PeriodBounds,
  ): AsyncGenerator<
    { ref: string; credential: string; status: string | null },
    any,
    any
  >;

  /**
   * The status changes recorded in the period: findings opened, closed and excepted. The
   * period's slice is walked on the primary key and filtered here: an index on kind would have
   * every page visit every status change ever recorded.
   */
  statusChangeRows(
    p: PeriodBounds,
    slice: LedgerSlice | undefined,
  ): AsyncGenerator<any, void, unknown>;

  /** Daily usage of these identities in the period, by identity and day. */
  usageDays(refs: string[], p: PeriodBounds): Promise<any[]>;

  /** The ledger's records of exported packages, newest first. */
  evidenceExportEntries(limit: number): Promise<any[]>;
}
