import type { Knex } from 'knex';
import type { IdentityRecord } from '../engine/types';
import type { StoredStatus } from '../engine/storedStatus';
import { chunks } from './chunks';
import { IdentityRow, toRecord } from './identityTable';
import { JSON_ROWS_CHUNK, jsonRows } from './jsonRows';

/** What the identity's row says its events showed, kept up to date by ingest. */
export interface RowEventFacts {
  lastUsedAt?: string;
  lastRotationEventAt?: string;
  lastRevokedAt?: string;
  lastExpiredEventAt?: string;
  lastLoginAt?: string;
  lastAuthFailureDay?: string;
}

/** One identity as the recompute reads it: the record, its event facts, and its stored status. */
export interface RecomputeRow {
  record: IdentityRecord;
  facts: RowEventFacts;
  /** The stored status exactly as written, to tell whether anything changed. */
  statusText: string | null;
}

const toRecomputeRow = (row: IdentityRow): RecomputeRow => ({
  record: toRecord(row),
  facts: {
    lastUsedAt: row.last_used_at ?? undefined,
    lastRotationEventAt: row.last_rotation_event_at ?? undefined,
    lastRevokedAt: row.last_revoked_at ?? undefined,
    lastExpiredEventAt: row.last_expired_event_at ?? undefined,
    lastLoginAt: row.last_login_at ?? undefined,
    lastAuthFailureDay: row.last_auth_failure_day ?? undefined,
  },
  statusText: row.status,
});

// What the engine reads; names, purpose and bookkeeping stay in the database.
const RECOMPUTE_COLUMNS = [
  'ref',
  'type',
  'owner',
  'backup_owner',
  'system',
  'environment',
  'provider',
  'external_id',
  'privilege',
  'scopes',
  'used_by',
  'credential',
  'approval',
  'status',
  'last_used_at',
  'last_rotation_event_at',
  'last_revoked_at',
  'last_expired_event_at',
  'last_login_at',
  'last_auth_failure_day',
];

/**
 * Present identities in ref order after `after`, or the present ones among `refs`, locked for
 * the rest of the transaction where the database can lock rows.
 */
export async function readRecomputePage(
  knex: Knex,
  options: { after: string; limit: number } | { refs: string[] },
): Promise<RecomputeRow[]> {
  const query = knex('nhi_identities')
    .select(RECOMPUTE_COLUMNS)
    .whereNull('removed_at');
  if ('refs' in options) query.whereIn('ref', options.refs);
  else query.andWhere('ref', '>', options.after).limit(options.limit);
  const rows: IdentityRow[] = await query.orderBy('ref').forUpdate();
  return rows.map(toRecomputeRow);
}

/** A computed status to store, with the columns that lists filter and sort on. */
export interface StatusWrite {
  ref: string;
  stored: StoredStatus;
  text: string;
  compliant: boolean;
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
    .whereNotNull('provider')
    .where(q =>
      q.whereNotNull('last_used_at').orWhereNotNull('last_auth_failure_day'),
    )
    .distinct('provider');
  return new Set(rows.map(r => r.provider));
}
