/** A fact to record; the ledger gives it its place, time and hash. */
export interface LedgerDraft {
  kind: string;
  subject?: string;
  payload: Record<string, unknown>;
}
