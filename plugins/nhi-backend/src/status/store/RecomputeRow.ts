import type { GovernanceFacts, IdentityRecord } from '../../engine/types';
import type { RollupSubject } from '../../rollups/rollupFigures';
import { FACT_COLUMNS } from '../../database/tables/identityFacts';
import { IdentityRow, toRecord } from '../../database/tables/identities';

/** What the identity's row says its events showed, kept up to date by ingest. */
export interface RowEventFacts {
  lastUsedAt?: string;
  lastRotationEventAt?: string;
  lastRevokedAt?: string;
  lastExpiredEventAt?: string;
  lastLoginAt?: string;
  lastAuthFailureDay?: string;
  /** JSON UnusualDay[]: the unusual days found when usage last arrived. */
  anomalies?: string;
}

/** The columns the engine and the rollups need besides those a skip decision reads. */
export const DETAIL_COLUMNS = [
  'type',
  'backup_owner',
  'system',
  'privilege',
  'purpose',
  'scopes',
  'credential',
  'approval',
  'status',
  'rotation_status',
  'usage_status',
  'risk',
  'finding_codes',
] as const;

export type RowDetails = Pick<IdentityRow, (typeof DETAIL_COLUMNS)[number]>;

/**
 * One identity as the recompute reads it: what the skip decision needs (the catalog-facing
 * fields, event facts, the digest and validity of the stored status). The rest of the record,
 * the stored status and what it counts as in the rollups are read (readRecomputeDetails) only
 * for identities that are recomputed: most identities of a scheduled run are not.
 */
export class RecomputeRow {
  readonly ref: string;
  readonly facts: RowEventFacts;
  readonly specHash: string;
  /** The digest of the inputs the stored status was computed from (null: none stored). */
  readonly statusInputs: string | null;
  /** Until when the stored status holds if its inputs stay the same. */
  readonly validUntil: string | null;
  readonly usedBy: string[];
  /** What recertification says of the identity (reviews, exceptions, approvals). */
  readonly governance: GovernanceFacts;
  private details?: RowDetails;
  private parsed?: IdentityRecord;

  constructor(private readonly row: LightRow) {
    this.ref = row.ref;
    this.usedBy = JSON.parse(row.used_by);
    this.facts = {
      lastUsedAt: row.last_used_at ?? undefined,
      lastRotationEventAt: row.last_rotation_event_at ?? undefined,
      lastRevokedAt: row.last_revoked_at ?? undefined,
      lastExpiredEventAt: row.last_expired_event_at ?? undefined,
      lastLoginAt: row.last_login_at ?? undefined,
      lastAuthFailureDay: row.last_auth_failure_day ?? undefined,
      anomalies: row.anomalies ?? undefined,
    };
    this.specHash = row.spec_hash;
    this.statusInputs = row.status_inputs;
    this.validUntil = row.status_valid_until;
    this.governance = row.governance ? JSON.parse(row.governance) : {};
  }

  /**
   * What the identity counts as in the rollups: present identities with status inputs stored
   * are counted (a sync clears the inputs of what it changes, after withdrawing it).
   */
  get storedSubject(): RollupSubject | undefined {
    const d = this.loaded();
    if (!this.statusInputs || !d.rotation_status || !d.usage_status)
      return undefined;
    return {
      owner: this.row.owner ?? undefined,
      system: d.system ?? undefined,
      type: d.type,
      environment: this.row.environment ?? undefined,
      rotation: d.rotation_status,
      usage: d.usage_status,
      risk: Number(d.risk),
      codes: d.finding_codes ? d.finding_codes.split(',') : [],
    };
  }

  /** The fields the catalog facts are built from. */
  get identity(): Pick<
    IdentityRecord,
    'owner' | 'usedBy' | 'environment' | 'provider' | 'externalId'
  > {
    return {
      owner: this.row.owner ?? undefined,
      usedBy: this.usedBy,
      environment: this.row.environment ?? undefined,
      provider: this.row.provider ?? undefined,
      externalId: this.row.external_id ?? undefined,
    };
  }

  attach(details: RowDetails) {
    this.details = details;
  }

  /** The stored status exactly as written, to tell whether anything changed. */
  get statusText(): string | null {
    return this.loaded().status;
  }

  get record(): IdentityRecord {
    this.parsed ??= toRecord({ ...this.row, ...this.loaded() });
    return this.parsed;
  }

  private loaded(): RowDetails {
    if (!this.details) {
      throw new Error(`${this.ref}: record details were not read`);
    }
    return this.details;
  }
}

// What a skip decision reads; the rest (DETAIL_COLUMNS) is read by readRecomputeDetails for
// identities that are recomputed.
export const LIGHT_COLUMNS = [
  'ref',
  'owner',
  'environment',
  'provider',
  'external_id',
  'used_by',
  'spec_hash',
  'status_inputs',
  'status_valid_until',
] as const;

export type LightRow = Pick<IdentityRow, (typeof LIGHT_COLUMNS)[number]> &
  Record<(typeof FACT_COLUMNS)[number], string | null> & {
    /** JSON GovernanceFacts from nhi_identity_governance; null for most identities. */
    governance: string | null;
    anomalies: string | null;
  };
