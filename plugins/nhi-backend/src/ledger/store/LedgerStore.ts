import type { LedgerDraft } from '../LedgerDraft';
import type { LedgerVerification } from '@nhi-governance/nhi-evidence';
import type { LedgerEntry } from '@nhi-governance/plugin-nhi-common';

export interface LedgerStore {
  /**
   * Locks the ledger head for the rest of the transaction (`FOR UPDATE` on PostgreSQL; SQLite
   * has a single writer) and answers it: every writer of the ledger queues here.
   */
  lockLedgerHead(): Promise<{ seq: number | string; hash: string }>;

  /**
   * Appends entries inside the caller's transaction, so a change and its record commit or fail
   * together. The head row is locked first (`FOR UPDATE` on PostgreSQL; SQLite serialises
   * writers itself), so concurrent writers, even on other replicas, queue instead of forking
   * the chain; the unique seq and hash columns would refuse a fork anyway.
   */
  appendLedgerEntries(
    drafts: LedgerDraft[],
    recordedAt: string,
  ): Promise<LedgerEntry[]>;

  readLedgerHead(): Promise<{ seq: number; hash: string }>;

  /**
   * Every entry in seq order, a page at a time; up to `untilSeq` when given, so that a verifier
   * reading against a head it fetched first is not misled by entries appended meanwhile.
   */
  readLedger(pageSize?: number, untilSeq?: number): AsyncGenerator<LedgerEntry>;

  /** The latest entries about one subject, newest first. */
  readLedgerFor(subject: string, limit?: number): Promise<LedgerEntry[]>;

  /** One entry by its seq. */
  readLedgerEntry(seq: number): Promise<LedgerEntry | undefined>;

  /** Entries of one kind in seq order; with `latest`, only the last that many. */
  readLedgerOfKind(kind: string, latest?: number): Promise<LedgerEntry[]>;

  /** Recomputes the chain up to the head as it stands when verification starts. */
  verifyLedger(): Promise<LedgerVerification>;
}
