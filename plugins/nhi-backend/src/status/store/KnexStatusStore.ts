import type { Knex } from 'knex';
import { openCodes } from '../../rollups/rollupFigures';
import { chunks } from '../../database/chunks';
import { FACT_COLUMNS } from '../../database/tables/identityFacts';
import {
  JSON_ROWS_CHUNK,
  isPostgres,
  jsonRows,
  rowsOf,
} from '../../database/jsonRows';
import {
  DETAIL_COLUMNS,
  LIGHT_COLUMNS,
  LightRow,
  RecomputeRow,
} from './RecomputeRow';
import { credentialKey } from './StatusStore';
import type { StatusStore, StatusWrite } from './StatusStore';
import { requireTransaction } from '../../database/requireTransaction';

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

/** StatusStore on the plugin's database (SQLite or PostgreSQL). */
export class KnexStatusStore implements StatusStore {
  constructor(private readonly db: Knex) {}

  /**
   * The query behind readRecomputePage. On SQLite an index covers it (migration
   * 20261204_recompute_index), so a scheduled run never visits the wide rows.
   */
  recomputePageQuery(
    options: { after: string; limit: number } | { refs: string[] },
  ): Knex.QueryBuilder {
    const query = this.db('nhi_identities')
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
  async readRecomputePage(
    options: { after: string; limit: number } | { refs: string[] },
  ): Promise<RecomputeRow[]> {
    const rows: LightRow[] = await this.recomputePageQuery(options);
    return rows.map(row => new RecomputeRow(row));
  }

  /** Reads the rest of the record and the stored status of the rows that are recomputed. */
  async readRecomputeDetails(rows: RecomputeRow[]): Promise<void> {
    const byRef = new Map(rows.map(r => [r.ref, r]));
    for (const batch of chunks(rows, JSON_ROWS_CHUNK)) {
      const details = rowsOf(
        await this.db.raw(
          `select ref, ${DETAIL_COLUMNS.join(', ')} from nhi_identities
           where ref in (select ref from ?)`,
          [
            jsonRows(
              this.db,
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
  async lockForWrite(rows: RecomputeRow[]): Promise<string[]> {
    requireTransaction(this.db, 'lockForWrite');
    if (!isPostgres(this.db) || rows.length === 0) return [];
    const read = new Map(rows.map(r => [r.ref, r]));
    const moved: string[] = [];
    for (const batch of chunks(rows, JSON_ROWS_CHUNK)) {
      const current = rowsOf(
        await this.db.raw(
          `select ref, status, status_inputs from nhi_identities
           where ref in (select ref from ?) order by ref for update`,
          [
            jsonRows(
              this.db,
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

  /** Stores computed statuses, thousands of rows per statement. */
  async saveStatuses(writes: StatusWrite[], now: string): Promise<void> {
    requireTransaction(this.db, 'saveStatuses');
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
      await this.db.raw(
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
        [now, jsonRows(this.db, STATUS_COLUMNS, rows)],
      );
    }
  }

  /** Keeps the open-findings table in step: rows for findings opened, none for those closed. */
  async applyFindingChanges(
    opened: Array<{
      identity_ref: string;
      code: string;
      severity: string;
      opened_at: string;
    }>,
    closed: Array<{ identity_ref: string; code: string }>,
  ): Promise<void> {
    requireTransaction(this.db, 'applyFindingChanges');
    for (const batch of chunks(closed, JSON_ROWS_CHUNK)) {
      await this.db.raw(
        `delete from nhi_identity_findings
         where (identity_ref, code) in (select identity_ref, code from ?)`,
        [jsonRows(this.db, { identity_ref: 'text', code: 'text' }, batch)],
      );
    }
    for (const batch of chunks(opened, JSON_ROWS_CHUNK)) {
      await this.db.raw(
        `insert into nhi_identity_findings (identity_ref, code, severity, opened_at)
         select identity_ref, code, severity, opened_at from ?`,
        [
          jsonRows(
            this.db,
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

  /**
   * provider + externalId → the environments that declare it, for credentials declared in more
   * than one environment (the environment-mixing rule); others are in their own environment only.
   */
  async readSharedCredentialEnvironments(): Promise<Map<string, string[]>> {
    const present = () =>
      this.db('nhi_identities')
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
  async readMonitoredProviders(): Promise<Set<string>> {
    const rows = await this.db('nhi_identities')
      .join('nhi_identity_facts', 'identity_ref', 'ref')
      .whereNotNull('provider')
      .where(q =>
        q.whereNotNull('last_used_at').orWhereNotNull('last_auth_failure_day'),
      )
      .distinct('provider');
    return new Set(rows.map(r => r.provider));
  }
}
