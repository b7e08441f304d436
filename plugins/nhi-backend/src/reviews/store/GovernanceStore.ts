export interface GovernanceStore {
  /**
   * Recomputes what reviews, exceptions and approvals say of these identities from their own
   * tables, inside the transaction that changed them, so the engine's input never lags the
   * record. A changed row changes the identity's status digest, and the next recompute of the
   * identity takes it into account.
   */
  refreshGovernance(refs: string[]): Promise<void>;
}
