import type { LedgerVerification } from '@nhi-governance/nhi-evidence';
import type { Knex } from 'knex';
import type { LedgerEntry } from '@nhi-governance/plugin-nhi-common';
import { canonicalJson } from '../canonicalJson';
import { chunks } from '../../database/chunks';
import { JSON_ROWS_CHUNK, jsonRows } from '../../database/jsonRows';
import { hashEntry, verifyChain } from '../chain';
import type { LedgerStore } from './LedgerStore';
import type { LedgerDraft } from '../LedgerDraft';
import { requireTransaction } from '../../database/requireTransaction';

const LEDGER_ROW = {
  seq: 'integer',
  recorded_at: 'text',
  kind: 'text',
  subject: 'text',
  payload: 'text',
  prev_hash: 'text',
  hash: 'text',
} as const;
const LEDGER_COLUMNS = Object.keys(LEDGER_ROW);

interface LedgerRow {
  seq: number | string;
  recorded_at: string;
  kind: string;
  subject: string | null;
  payload: string;
  prev_hash: string;
  hash: string;
}

const toEntry = (row: LedgerRow): LedgerEntry => ({
  seq: Number(row.seq),
  recordedAt: row.recorded_at,
  kind: row.kind,
  subject: row.subject ?? undefined,
  payload: JSON.parse(row.payload),
  prevHash: row.prev_hash,
  hash: row.hash,
});

/** LedgerStore on the plugin's database (SQLite or PostgreSQL). */
export class KnexLedgerStore implements LedgerStore {
  constructor(private readonly db: Knex) {}

  /**
   * Locks the ledger head for the rest of the transaction (`FOR UPDATE` on PostgreSQL; SQLite
   * has a single writer) and answers it: every writer of the ledger queues here.
   */
  async lockLedgerHead(): Promise<{ seq: number | string; hash: string }> {
    requireTransaction(this.db, 'lockLedgerHead');
    return this.db('nhi_ledger_head').where({ id: 1 }).forUpdate().first();
  }

  /**
   * Appends entries inside the caller's transaction, so a change and its record commit or fail
   * together. The head row is locked first (`FOR UPDATE` on PostgreSQL; SQLite serialises
   * writers itself), so concurrent writers, even on other replicas, queue instead of forking
   * the chain; the unique seq and hash columns would refuse a fork anyway.
   */
  async appendLedgerEntries(
    drafts: LedgerDraft[],
    recordedAt: string,
  ): Promise<LedgerEntry[]> {
    requireTransaction(this.db, 'appendLedgerEntries');
    if (drafts.length === 0) return [];
    const head = await this.lockLedgerHead();
    let seq = Number(head.seq);
    let prevHash: string = head.hash;
    const entries: LedgerEntry[] = [];
    const rows = drafts.map(draft => {
      seq += 1;
      const entry = { seq, recordedAt, ...draft, prevHash };
      const payload = canonicalJson(draft.payload);
      const hash = hashEntry(entry, payload);
      entries.push({ ...entry, hash });
      const row = {
        seq,
        recorded_at: recordedAt,
        kind: draft.kind,
        subject: draft.subject ?? null,
        payload,
        prev_hash: prevHash,
        hash,
      };
      prevHash = hash;
      return row;
    });
    for (const batch of chunks(rows, JSON_ROWS_CHUNK)) {
      await this.db.raw(
        `insert into nhi_ledger (${LEDGER_COLUMNS.join(', ')})
         select ${LEDGER_COLUMNS.join(', ')} from ?`,
        [jsonRows(this.db, LEDGER_ROW, batch)],
      );
    }
    await this.db('nhi_ledger_head')
      .where({ id: 1 })
      .update({ seq, hash: prevHash });
    return entries;
  }

  async readLedgerHead(): Promise<{ seq: number; hash: string }> {
    const head = await this.db('nhi_ledger_head').where({ id: 1 }).first();
    return { seq: Number(head.seq), hash: head.hash };
  }

  /**
   * Every entry in seq order, a page at a time; up to `untilSeq` when given, so that a verifier
   * reading against a head it fetched first is not misled by entries appended meanwhile.
   */
  async *readLedger(
    pageSize = 1000,
    untilSeq?: number,
  ): AsyncGenerator<LedgerEntry> {
    let after = 0;
    for (;;) {
      const query = this.db('nhi_ledger').where('seq', '>', after);
      if (untilSeq !== undefined) query.andWhere('seq', '<=', untilSeq);
      const rows: LedgerRow[] = await query.orderBy('seq').limit(pageSize);
      for (const row of rows) yield toEntry(row);
      if (rows.length < pageSize) return;
      after = Number(rows[rows.length - 1].seq);
    }
  }

  /** The latest entries about one subject, newest first. */
  async readLedgerFor(subject: string, limit = 100): Promise<LedgerEntry[]> {
    const rows: LedgerRow[] = await this.db('nhi_ledger')
      .where({ subject })
      .orderBy('seq', 'desc')
      .limit(limit);
    return rows.map(toEntry);
  }

  async readLedgerEntry(seq: number): Promise<LedgerEntry | undefined> {
    const row: LedgerRow | undefined = await this.db('nhi_ledger')
      .where({ seq })
      .first();
    return row && toEntry(row);
  }

  async readLedgerOfKind(
    kind: string,
    latest?: number,
  ): Promise<LedgerEntry[]> {
    const query = this.db('nhi_ledger').where({ kind }).orderBy('seq', 'desc');
    if (latest !== undefined) query.limit(latest);
    const rows: LedgerRow[] = await query;
    return rows.map(toEntry).reverse();
  }

  /** Recomputes the chain up to the head as it stands when verification starts. */
  async verifyLedger(): Promise<LedgerVerification> {
    const head = await this.readLedgerHead();
    return verifyChain(this.readLedger(1000, head.seq), head);
  }
}
