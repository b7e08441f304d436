import type { IdentityStatus } from '@nhi-governance/plugin-nhi-common';
import type { IdentityRecord } from '../../engine/types';

/** An identity as stored: its record plus bookkeeping. */
export interface StoredIdentity {
  record: IdentityRecord;
  source: string;
  specHash: string;
  firstSeenAt: string;
  removedAt?: string;
  status?: IdentityStatus;
}

/** The stored facts a remediation is checked against. */
export interface RemediationFacts {
  ref: string;
  /** JSON list of the identity's scopes. */
  scopes: string;
  removed_at: string | null;
  last_revoked_at: string | null;
}

export interface IdentityStore {
  /** The spec hashes of the identities of one source, present or removed, by ref. */
  readSpecHashes(
    source: string,
  ): Promise<Map<string, { specHash: string; removed: boolean }>>;

  /** Inserts or replaces identities, keeping when each was first seen, and their usages. */
  upsertIdentities(
    items: Array<{ record: IdentityRecord; specHash: string }>,
    source: string,
    now: string,
  ): Promise<void>;

  /** Marks identities as removed; they stay, for the record, with the date they left. */
  markRemoved(refs: string[], now: string): Promise<void>;

  readIdentity(ref: string): Promise<StoredIdentity | undefined>;

  /** The owner and backup owner of each identity, by ref. */
  readOwners(refs: string[]): Promise<Map<string, string[]>>;

  /** What shows that a remediation was carried out: scopes, removal and revocation. */
  readRemediationFacts(refs: string[]): Promise<RemediationFacts[]>;
}
