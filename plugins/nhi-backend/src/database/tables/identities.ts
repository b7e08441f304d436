import type { IdentityRecord } from '../../engine/types';

/**
 * The nhi_identities table as rows: the identities feature writes it, and the status recompute
 * reads it in the same transaction, so both share its shape and how a row becomes a record.
 */
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

/** Builds the engine's record from a row's columns (JSON columns parsed). */
export const toRecord = (row: RecordColumns): IdentityRecord => ({
  ref: row.ref,
  type: row.type as IdentityRecord['type'],
  owner: row.owner ?? undefined,
  backupOwner: row.backup_owner ?? undefined,
  system: row.system ?? undefined,
  usedBy: JSON.parse(row.used_by),
  environment: row.environment ?? undefined,
  provider: row.provider ?? undefined,
  externalId: row.external_id ?? undefined,
  purpose: row.purpose ?? undefined,
  scopes: JSON.parse(row.scopes),
  privilege: (row.privilege ?? undefined) as IdentityRecord['privilege'],
  credential: JSON.parse(row.credential),
  approval: row.approval ? JSON.parse(row.approval) : undefined,
});
