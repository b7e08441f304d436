import type { Knex } from 'knex';
import type { GovernanceFacts, IdentityRecord } from '../engine/types';
import type { StoredStatus } from '../engine/storedStatus';
import { RollupSubject, openCodes } from '../rollups/rollupFigures';
import { chunks } from './chunks';
import { FACT_COLUMNS } from './eventTable';
import { IdentityRow, toRecord } from './identityTable';
import { JSON_ROWS_CHUNK, isPostgres, jsonRows, rowsOf } from './jsonRows';

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
const DETAIL_COLUMNS = [
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

type RowDetails = Pick<IdentityRow, (typeof DETAIL_COLUMNS)[number]>;

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
const LIGHT_COLUMNS = [
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

type LightRow = Pick<IdentityRow, (typeof LIGHT_COLUMNS)[number]> &
  Record<(typeof FACT_COLUMNS)[number], string | null> & {
    /** JSON GovernanceFacts from nhi_identity_governance; null for most identities. */
    governance: string | null;
    anomalies: string | null;
  };

/**
 * The query behind readRecomputePage. On SQLite an index covers it (migration
 * 20261204_recompute_index), so a scheduled run never visits the wide rows.
 */
export function recomputePageQuery(
  knex: Knex,
  options: { after: string; limit: number } | { refs: string[] },
): Knex.QueryBuilder {
  const query = knex('nhi_identities')
    .leftJoin('nhi_identity_facts', 'nhi_identity_facts.identity_ref', 'ref')
    .leftJoin(
      'nhi_identity_governance',
      'nhi_identity_governance.identity_ref',
      'ref',
    )
    .select([
      ...LIGHT_COLUMNS,
      ...FACT_COLUMNS,
      'nhi_identity_facts.anomalies',
      'nhi_identity_governance.facts as governance',
    ])
    .whereNull('removed_at');
  if ('refs' in options) query.whereIn('ref', options.refs);
  else query.andWhere('ref', '>', options.after).limit(options.limit);
  return query.orderBy('ref');
}

/** Present identities in ref order after `after`, or the present ones among `refs`. */
export async function readRecomputePage(
  knex: Knex,
  options: { after: string; limit: number } | { refs: string[] },
): Promise<RecomputeRow[]> {
  const rows: LightRow[] = await recomputePageQuery(knex, options);
  return rows.map(row => new RecomputeRow(row));
}

/** Reads the rest of the record and the stored status of the rows that are recomputed. */
export async function readRecomputeDetails(
  knex: Knex,
  rows: RecomputeRow[],
): Promise<void> {
  const byRef = new Map(rows.map(r => [r.ref, r]));
  for (const batch of chunks(rows, JSON_ROWS_CHUNK)) {
    const details = rowsOf(
      await knex.raw(
        `select ref, ${DETAIL_COLUMNS.join(', ')} from nhi_identities
         where ref in (select ref from ?)`,
        [
          jsonRows(
            knex,
            { ref: 'text' },
            batch.map(r => ({ ref: r.ref })),
          ),
        ],
      ),
    );
    for (const d of details) byRef.get(d.ref)?.attach(d);
  }
}

/**
 * Locks the rows about to be written (PostgreSQL; SQLite has a single writer) and answers the
 * refs among them whose stored status changed since `rows` were read, by another replica or
 * recompute: those must be evaluated again against what is stored now.
 */
export async function lockForWrite(
  trx: Knex.Transaction,
  rows: RecomputeRow[],
): Promise<string[]> {
  if (!isPostgres(trx) || rows.length === 0) return [];
  const read = new Map(rows.map(r => [r.ref, r]));
  const moved: string[] = [];
  for (const batch of chunks(rows, JSON_ROWS_CHUNK)) {
    const current = rowsOf(
      await trx.raw(
        `select ref, status, status_inputs from nhi_identities
         where ref in (select ref from ?) order by ref for update`,
        [
          jsonRows(
            trx,
            { ref: 'text' },
            batch.map(r => ({ ref: r.ref })),
          ),
        ],
      ),
    );
    for (const c of current) {
      const before = read.get(c.ref)!;
      if (
        c.status !== before.statusText ||
        c.status_inputs !== before.statusInputs
      )
        moved.push(c.ref);
    }
  }
  return moved;
}

/** A computed status to store, with the columns that lists filter and sort on. */
export interface StatusWrite {
  ref: string;
  stored: StoredStatus;
  text: string;
  compliant: boolean;
  inputs: string;
  validUntil: string;
}

const STATUS_COLUMNS = {
  ref: 'text',
  rotation_status: 'text',
  usage_status: 'text',
  review_status: 'text',
  risk: 'integer',
  finding_count: 'integer',
  compliant: 'boolean',
  status: 'text',
  status_inputs: 'text',
  status_valid_until: 'text',
  finding_codes: 'text',
} as const;

/** Stores computed statuses, thousands of rows per statement. */
export async function saveStatuses(
  trx: Knex.Transaction,
  writes: StatusWrite[],
  now: string,
): Promise<void> {
  for (const batch of chunks(writes, JSON_ROWS_CHUNK)) {
    const rows = batch.map(w => ({
      ref: w.ref,
      rotation_status: w.stored.rotation.status,
      usage_status: w.stored.usage.status,
      review_status: w.stored.review.status,
      risk: w.stored.risk,
      finding_count: w.stored.findings.length,
      compliant: w.compliant,
      status: w.text,
      status_inputs: w.inputs,
      status_valid_until: w.validUntil,
      finding_codes: openCodes(w.stored).join(','),
    }));
    await trx.raw(
      `update nhi_identities set
         rotation_status = v.rotation_status,
         usage_status = v.usage_status,
         review_status = v.review_status,
         risk = v.risk,
         finding_count = v.finding_count,
         compliant = v.compliant,
         status = v.status,
         status_inputs = v.status_inputs,
         finding_codes = v.finding_codes,
         status_valid_until = v.status_valid_until,
         status_computed_at = ?
       from ? where nhi_identities.ref = v.ref`,
      [now, jsonRows(trx, STATUS_COLUMNS, rows)],
    );
  }
}

/** Keeps the open-findings table in step: rows for findings opened, none for those closed. */
export async function applyFindingChanges(
  trx: Knex.Transaction,
  opened: Array<{
    identity_ref: string;
    code: string;
    severity: string;
    opened_at: string;
  }>,
  closed: Array<{ identity_ref: string; code: string }>,
): Promise<void> {
  for (const batch of chunks(closed, JSON_ROWS_CHUNK)) {
    await trx.raw(
      `delete from nhi_identity_findings
       where (identity_ref, code) in (select identity_ref, code from ?)`,
      [jsonRows(trx, { identity_ref: 'text', code: 'text' }, batch)],
    );
  }
  for (const batch of chunks(opened, JSON_ROWS_CHUNK)) {
    await trx.raw(
      `insert into nhi_identity_findings (identity_ref, code, severity, opened_at)
       select identity_ref, code, severity, opened_at from ?`,
      [
        jsonRows(
          trx,
          {
            identity_ref: 'text',
            code: 'text',
            severity: 'text',
            opened_at: 'text',
          },
          batch,
        ),
      ],
    );
  }
}

export const credentialKey = (
  provider?: string | null,
  externalId?: string | null,
) => `${provider ?? ''}\u0000${externalId ?? ''}`;

/**
 * provider + externalId → the environments that declare it, for credentials declared in more
 * than one environment (the environment-mixing rule); others are in their own environment only.
 */
export async function readSharedCredentialEnvironments(
  knex: Knex,
): Promise<Map<string, string[]>> {
  const present = () =>
    knex('nhi_identities')
      .whereNull('removed_at')
      .whereNotNull('external_id')
      .whereNotNull('environment');
  const shared = present()
    .groupBy('provider', 'external_id')
    .havingRaw('count(distinct environment) > 1')
    .select('external_id');
  const rows: Array<{
    provider: string | null;
    external_id: string;
    environment: string;
  }> = await present()
    .whereIn('external_id', shared)
    .distinct('provider', 'external_id', 'environment');
  const byCredential = new Map<string, string[]>();
  for (const r of rows) {
    const key = credentialKey(r.provider, r.external_id);
    byCredential.set(key, [...(byCredential.get(key) ?? []), r.environment]);
  }
  return byCredential;
}

/** Providers whose usage reaches the portal: some identity of theirs has usage on record. */
export async function readMonitoredProviders(knex: Knex): Promise<Set<string>> {
  const rows = await knex('nhi_identities')
    .join('nhi_identity_facts', 'identity_ref', 'ref')
    .whereNotNull('provider')
    .where(q =>
      q.whereNotNull('last_used_at').orWhereNotNull('last_auth_failure_day'),
    )
    .distinct('provider');
  return new Set(rows.map(r => r.provider));
}
