import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import type { IdentityRecord } from '../../engine/types';
import { fromStoredStatus } from '../../engine/storedStatus';
import { CHUNK, chunks } from '../../database/chunks';
import {
  JSON_ROWS_CHUNK,
  jsonRows,
  upsertSelectWhere,
} from '../../database/jsonRows';
import type {
  IdentityStore,
  RemediationFacts,
  StoredIdentity,
} from './IdentityStore';
import { IdentityRow, toRecord } from '../../database/tables/identities';
import { requireTransaction } from '../../database/requireTransaction';

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
  record: toRecord(row),
  source: row.source,
  specHash: row.spec_hash,
  firstSeenAt: row.first_seen_at,
  removedAt: row.removed_at ?? undefined,
  status: row.status
    ? fromStoredStatus(JSON.parse(row.status), DateTime.utc(), row.last_used_at)
    : undefined,
});

const IDENTITY_COLUMNS = {
  ref: 'text',
  namespace: 'text',
  name: 'text',
  type: 'text',
  owner: 'text',
  backup_owner: 'text',
  system: 'text',
  environment: 'text',
  provider: 'text',
  external_id: 'text',
  purpose: 'text',
  privilege: 'text',
  scopes: 'text',
  used_by: 'text',
  credential: 'text',
  approval: 'text',
  source: 'text',
  spec_hash: 'text',
  updated_at: 'text',
  removed_at: 'text',
  first_seen_at: 'text',
} as const;

/** Identity rows with the latest use on record, which the stored status may predate. */
export const withLatestUse = (query: Knex.QueryBuilder) =>
  query
    .leftJoin('nhi_identity_facts', 'identity_ref', 'ref')
    .select('nhi_identities.*', 'nhi_identity_facts.last_used_at');

/** Rows selected with withLatestUse, as stored identities. */
export const readIdentityRows = (rows: IdentityRow[]): StoredIdentity[] =>
  rows.map(toStored);

/** IdentityStore on the plugin's database (SQLite or PostgreSQL). */
export class KnexIdentityStore implements IdentityStore {
  constructor(private readonly db: Knex) {}

  /** The spec hashes of the identities of one source, present or removed, by ref. */
  async readSpecHashes(
    source: string,
  ): Promise<Map<string, { specHash: string; removed: boolean }>> {
    const rows = await this.db('nhi_identities')
      .where({ source })
      .select('ref', 'spec_hash', 'removed_at');
    return new Map(
      rows.map(r => [
        r.ref,
        { specHash: r.spec_hash, removed: !!r.removed_at },
      ]),
    );
  }

  /** Inserts or replaces identities, keeping when each was first seen, and their usages. */
  async upsertIdentities(
    items: Array<{ record: IdentityRecord; specHash: string }>,
    source: string,
    now: string,
  ): Promise<void> {
    requireTransaction(this.db, 'upsertIdentities');
    const columns = Object.keys(IDENTITY_COLUMNS);
    const updated = columns
      .filter(c => c !== 'ref' && c !== 'first_seen_at')
      .map(c => `${c} = excluded.${c}`)
      // A changed identity's status is computed afresh (and counted in the rollups again).
      .concat('status_inputs = null')
      .join(', ');
    const where = upsertSelectWhere(this.db);
    for (const batch of chunks(items, JSON_ROWS_CHUNK)) {
      const rows = batch.map(i => ({
        ...toRow(i.record, source, i.specHash, now),
        first_seen_at: now,
      }));
      await this.db.raw(
        `insert into nhi_identities (${columns.join(', ')})
         select ${columns.join(', ')} from ? ${where}
         on conflict (ref) do update set ${updated}`,
        [jsonRows(this.db, IDENTITY_COLUMNS, rows)],
      );
      const refs = jsonRows(
        this.db,
        { ref: 'text' },
        batch.map(i => ({ ref: i.record.ref })),
      );
      await this.db.raw(
        `delete from nhi_identity_usages where identity_ref in (select ref from ?)`,
        [refs],
      );
      const usages = batch.flatMap(i =>
        [...new Set(i.record.usedBy)].map(entityRef => ({
          identity_ref: i.record.ref,
          entity_ref: entityRef,
        })),
      );
      await this.db.raw(
        `insert into nhi_identity_usages (identity_ref, entity_ref)
         select identity_ref, entity_ref from ?`,
        [
          jsonRows(
            this.db,
            { identity_ref: 'text', entity_ref: 'text' },
            usages,
          ),
        ],
      );
    }
  }

  /** Marks identities as removed; they stay, for the record, with the date they left. */
  async markRemoved(refs: string[], now: string): Promise<void> {
    requireTransaction(this.db, 'markRemoved');
    for (const batch of chunks(refs, 500)) {
      await this.db('nhi_identities')
        .whereIn('ref', batch)
        .whereNull('removed_at')
        .update({ removed_at: now, updated_at: now });
    }
  }

  async readIdentity(ref: string): Promise<StoredIdentity | undefined> {
    const row = await withLatestUse(this.db('nhi_identities'))
      .where({ ref })
      .first();
    return row ? toStored(row) : undefined;
  }

  async readOwners(refs: string[]): Promise<Map<string, string[]>> {
    const owners = new Map<string, string[]>();
    for (const batch of chunks(refs, CHUNK)) {
      const rows = await this.db('nhi_identities')
        .whereIn('ref', batch)
        .select('ref', 'owner', 'backup_owner');
      for (const row of rows) {
        owners.set(row.ref, [row.owner, row.backup_owner].filter(Boolean));
      }
    }
    return owners;
  }

  async readRemediationFacts(refs: string[]): Promise<RemediationFacts[]> {
    const out: RemediationFacts[] = [];
    for (const batch of chunks(refs, CHUNK)) {
      out.push(
        ...(await this.db('nhi_identities')
          .leftJoin(
            'nhi_identity_facts',
            'nhi_identity_facts.identity_ref',
            'ref',
          )
          .whereIn('ref', batch)
          .select('ref', 'scopes', 'removed_at', 'last_revoked_at')),
      );
    }
    return out;
  }
}
