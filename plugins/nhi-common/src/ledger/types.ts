/** One fact in the append-only ledger, linked to the one before it by hash. */
export type LedgerEntry = {
  /** 1, 2, 3, … with no gaps. */
  seq: number;
  /** ISO 8601 UTC. */
  recordedAt: string;
  /** What happened, e.g. `identity.registered`, `event.ingested`, `finding.opened`. */
  kind: string;
  /** The identity (or other entity) it is about, as an entity ref. */
  subject?: string;
  payload: Record<string, unknown>;
  prevHash: string;
  /** SHA-256 of prevHash followed by the canonical JSON of seq, recordedAt, kind, subject, payload. */
  hash: string;
};

/** The result of recomputing the chain. */
export type LedgerVerification =
  | { ok: true; entries: number; headHash: string }
  | {
      ok: false;
      entries: number;
      /** The first entry that does not match, or where the chain breaks. */
      firstBrokenSeq: number;
      reason: string;
    };
