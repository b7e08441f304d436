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

export interface IdentityRow {
  ref: string;
  namespace: string;
  name: string;
  type: string;
  owner: string | null;
  backup_owner: string | null;
  system: string | null;
  environment: string | null;
  provider: string | null;
  external_id: string | null;
  purpose: string | null;
  privilege: string | null;
  scopes: string;
  used_by: string;
  credential: string;
  approval: string | null;
  source: string;
  spec_hash: string;
  first_seen_at: string;
  updated_at: string;
  removed_at: string | null;
  status: string | null;
  status_inputs: string | null;
  status_valid_until: string | null;
  rotation_status: string | null;
  usage_status: string | null;
  risk: number | string;
  finding_codes: string | null;
  /** From nhi_identity_facts, where a query joins it (withLatestUse). */
  last_used_at?: string | null;
}

/** The columns an IdentityRecord is built from. */
export type RecordColumns = Pick<
  IdentityRow,
  | 'ref'
  | 'type'
  | 'owner'
  | 'backup_owner'
  | 'system'
  | 'used_by'
  | 'environment'
  | 'provider'
  | 'external_id'
  | 'purpose'
  | 'scopes'
  | 'privilege'
  | 'credential'
  | 'approval'
>;

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
