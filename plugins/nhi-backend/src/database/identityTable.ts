import type { Knex } from 'knex';
import type { IdentityStatus } from '@nhi-governance/plugin-nhi-common';
import type { IdentityRecord } from '../engine/types';
import { CHUNK, chunks } from './chunks';

/** An identity as stored: its record plus bookkeeping. */
export interface StoredIdentity {
  record: IdentityRecord;
  source: string;
  specHash: string;
  firstSeenAt: string;
  removedAt?: string;
  status?: IdentityStatus;
}

interface IdentityRow {
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
}

const toRow = (
  record: IdentityRecord,
  source: string,
  specHash: string,
  now: string,
) => {
  const [, namespace, name] = /^[^:]+:([^/]+)\/(.+)$/.exec(record.ref) ?? [];
  return {
    ref: record.ref,
    namespace,
    name,
    type: record.type,
    owner: record.owner ?? null,
    backup_owner: record.backupOwner ?? null,
    system: record.system ?? null,
    environment: record.environment ?? null,
    provider: record.provider ?? null,
    external_id: record.externalId ?? null,
    purpose: record.purpose ?? null,
    privilege: record.privilege ?? null,
    scopes: JSON.stringify(record.scopes),
    used_by: JSON.stringify(record.usedBy),
    credential: JSON.stringify(record.credential),
    approval: record.approval ? JSON.stringify(record.approval) : null,
    source,
    spec_hash: specHash,
    updated_at: now,
    removed_at: null,
  };
};

const toStored = (row: IdentityRow): StoredIdentity => ({
  record: {
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
  },
  source: row.source,
  specHash: row.spec_hash,
  firstSeenAt: row.first_seen_at,
  removedAt: row.removed_at ?? undefined,
  status: row.status ? JSON.parse(row.status) : undefined,
});

/** The spec hashes of the identities of one source, present or removed, by ref. */
export async function readSpecHashes(
  knex: Knex,
  source: string,
): Promise<Map<string, { specHash: string; removed: boolean }>> {
  const rows = await knex('nhi_identities')
    .where({ source })
    .select('ref', 'spec_hash', 'removed_at');
  return new Map(
    rows.map(r => [r.ref, { specHash: r.spec_hash, removed: !!r.removed_at }]),
  );
}

/** Inserts or replaces identities, keeping when each was first seen, and their usages. */
export async function upsertIdentities(
  trx: Knex.Transaction,
  items: Array<{ record: IdentityRecord; specHash: string }>,
  source: string,
  now: string,
): Promise<void> {
  for (const batch of chunks(items)) {
    await trx('nhi_identities')
      .insert(
        batch.map(i => ({
          ...toRow(i.record, source, i.specHash, now),
          first_seen_at: now,
        })),
      )
      .onConflict('ref')
      .merge(
        Object.keys(toRow(batch[0].record, source, '', now)).filter(
          k => k !== 'ref',
        ),
      );
    const refs = batch.map(i => i.record.ref);
    await trx('nhi_identity_usages').whereIn('identity_ref', refs).delete();
    const usages = batch.flatMap(i =>
      [...new Set(i.record.usedBy)].map(entityRef => ({
        identity_ref: i.record.ref,
        entity_ref: entityRef,
      })),
    );
    for (const usageBatch of chunks(usages, CHUNK)) {
      await trx('nhi_identity_usages').insert(usageBatch);
    }
  }
}

/** Marks identities as removed; they stay, for the record, with the date they left. */
export async function markRemoved(
  trx: Knex.Transaction,
  refs: string[],
  now: string,
): Promise<void> {
  for (const batch of chunks(refs, 500)) {
    await trx('nhi_identities')
      .whereIn('ref', batch)
      .whereNull('removed_at')
      .update({ removed_at: now, updated_at: now });
  }
}

/** Rows selected from nhi_identities, as stored identities. */
export const readIdentityRows = (rows: IdentityRow[]): StoredIdentity[] =>
  rows.map(toStored);

export async function readIdentity(
  knex: Knex,
  ref: string,
): Promise<StoredIdentity | undefined> {
  const row = await knex('nhi_identities').where({ ref }).first();
  return row ? toStored(row) : undefined;
}

/** Every present identity (or those of `refs`), a page at a time, in ref order. */
export async function* readPresentIdentities(
  knex: Knex,
  options: { pageSize?: number; refs?: string[] } = {},
): AsyncGenerator<StoredIdentity[]> {
  const pageSize = options.pageSize ?? 2000;
  let after = '';
  for (;;) {
    const query = knex('nhi_identities')
      .whereNull('removed_at')
      .andWhere('ref', '>', after);
    if (options.refs) query.whereIn('ref', options.refs);
    const rows: IdentityRow[] = await query.orderBy('ref').limit(pageSize);
    if (rows.length > 0) yield rows.map(toStored);
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1].ref;
  }
}

export const credentialKey = (
  provider?: string | null,
  externalId?: string | null,
) => `${provider ?? ''}\u0000${externalId ?? ''}`;

/** provider + externalId → the environments that declare it, for the environment-mixing rule. */
export async function readCredentialEnvironments(
  knex: Knex,
): Promise<Map<string, string[]>> {
  const rows = await knex('nhi_identities')
    .whereNull('removed_at')
    .whereNotNull('external_id')
    .whereNotNull('environment')
    .distinct('provider', 'external_id', 'environment');
  const byCredential = new Map<string, string[]>();
  for (const r of rows) {
    const key = credentialKey(r.provider, r.external_id);
    byCredential.set(key, [...(byCredential.get(key) ?? []), r.environment]);
  }
  return byCredential;
}

/** Compliant: no open finding of medium severity or above. Low findings are advice. */
export const isCompliant = (status: IdentityStatus) =>
  status.findings.every(f => f.severity === 'low');

/** Stores computed statuses and keeps the open-findings table in step with them. */
export async function saveStatuses(
  trx: Knex.Transaction,
  statuses: Array<{
    ref: string;
    status: IdentityStatus;
    openedAt: Record<string, string>;
  }>,
  now: string,
): Promise<void> {
  // One UPDATE … FROM (VALUES …) per chunk instead of one UPDATE per identity. VALUES columns
  // are column1…columnN on both PostgreSQL and SQLite (3.33+); CAST gives PostgreSQL the types.
  for (const batch of chunks(statuses, CHUNK)) {
    const values = batch.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
    const bindings = batch.flatMap(({ ref, status }) => [
      ref,
      status.rotation.status,
      status.usage.status,
      status.review.status,
      status.risk,
      status.findings.length,
      isCompliant(status) ? 1 : 0,
      JSON.stringify(status),
    ]);
    await trx.raw(
      `update nhi_identities set
         rotation_status = v.column2,
         usage_status = v.column3,
         review_status = v.column4,
         risk = cast(v.column5 as integer),
         finding_count = cast(v.column6 as integer),
         compliant = cast(v.column7 as boolean),
         status = v.column8,
         status_computed_at = ?
       from (values ${values}) as v
       where nhi_identities.ref = v.column1`,
      [now, ...bindings],
    );
  }
  const refs = statuses.map(s => s.ref);
  for (const batch of chunks(refs, 500)) {
    await trx('nhi_identity_findings').whereIn('identity_ref', batch).delete();
  }
  const findingRows = statuses.flatMap(({ ref, status, openedAt }) =>
    status.findings.map(f => ({
      identity_ref: ref,
      code: f.code,
      severity: f.severity,
      opened_at: openedAt[f.code] ?? now,
    })),
  );
  for (const batch of chunks(findingRows, CHUNK)) {
    await trx('nhi_identity_findings').insert(batch);
  }
}

/** When each open finding of these identities was opened, by ref and code. */
export async function readOpenFindings(
  knex: Knex,
  refs: string[],
): Promise<Map<string, Record<string, string>>> {
  const out = new Map<string, Record<string, string>>();
  for (const batch of chunks(refs, 500)) {
    const rows = await knex('nhi_identity_findings')
      .whereIn('identity_ref', batch)
      .select('identity_ref', 'code', 'opened_at');
    for (const r of rows) {
      out.set(r.identity_ref, {
        ...out.get(r.identity_ref),
        [r.code]: r.opened_at,
      });
    }
  }
  return out;
}
