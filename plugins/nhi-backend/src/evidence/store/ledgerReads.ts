import type { Knex } from 'knex';
import type { LedgerSlice, PeriodBounds } from './EvidenceStore';

// The evidence store's reads of the ledger: the period's slice, its entries, and what the
// ledger said of identities before and during it.

/**
 * The seqs of the period's slice of the ledger: from the entry just before the first one recorded
 * in the period (whose hash that one links to) to the first one recorded after it (which shows
 * that nothing of the period is left out), capped at the head the export read. A contiguous
 * range, even where concurrent writers recorded entries a little out of time order.
 */
export async function ledgerSliceOf(
  db: Knex,
  p: PeriodBounds,
  headSeq: number,
): Promise<LedgerSlice | undefined> {
  if (headSeq < 1) return undefined;
  const firstIn = await db('nhi_ledger')
    .where('recorded_at', '>=', p.from)
    .andWhere('seq', '<=', headSeq)
    .orderBy('seq')
    .first('seq');
  // Nothing recorded since the period began: the head alone anchors (and closes) the slice.
  if (!firstIn) {
    return { first: headSeq, last: headSeq, firstInPeriod: headSeq + 1 };
  }
  const lastIn = await db('nhi_ledger')
    .where('recorded_at', '<', p.to)
    .andWhere('seq', '<=', headSeq)
    .orderBy('seq', 'desc')
    .first('seq');
  return {
    first: Math.max(1, Number(firstIn.seq) - 1),
    last: Math.min(
      headSeq,
      lastIn ? Number(lastIn.seq) + 1 : Number(firstIn.seq),
    ),
    firstInPeriod: Number(firstIn.seq),
  };
}

/** The entries of a slice of the ledger, in sequence order, a page at a time. */
export async function* ledgerRows(
  db: Knex,
  slice: LedgerSlice | undefined,
): AsyncGenerator<any, void, unknown> {
  if (!slice) return;
  let after = slice.first - 1;
  for (;;) {
    const rows = await db('nhi_ledger')
      .where('seq', '>', after)
      .andWhere('seq', '<=', slice.last)
      .orderBy('seq')
      .limit(1000);
    for (const row of rows) yield row;
    if (rows.length < 1000) return;
    after = Number(rows[rows.length - 1].seq);
  }
}

/** The kinds of entry ledger-identities.jsonl keeps the latest of, per identity, by group. */
const STATE_KINDS = new Map([
  ['identity.registered', 'registration'],
  ['identity.changed', 'registration'],
  ['identity.approved', 'approval'],
  ['identity.sent-back', 'approval'],
]);

/**
 * For each of these identities, the latest entry that registered or changed it, and the latest
 * that approved it or sent it back, before entry `beforeSeq`: what the ledger said of it then.
 */
export async function registrationEntries(
  db: Knex,
  refs: string[],
  beforeSeq: number,
): Promise<any[]> {
  if (!refs.length) return [];
  // By subject only: a condition on kind would have the planner walk the kind index over
  // every registration ever recorded, for each batch.
  const entries = await db('nhi_ledger')
    .whereIn('subject', refs)
    .andWhere('seq', '<', beforeSeq)
    .select('subject', 'seq', 'kind');
  const latest = new Map<string, number>();
  for (const e of entries) {
    const group = STATE_KINDS.get(e.kind);
    if (!group) continue;
    const key = `${group}\u0000${e.subject}`;
    latest.set(key, Math.max(latest.get(key) ?? 0, Number(e.seq)));
  }
  if (!latest.size) return [];
  return db('nhi_ledger')
    .whereIn('seq', [...latest.values()])
    .orderBy('seq');
}

/** The status changes of these identities recorded before the period ended, oldest first. */
export async function statusChangesOf(
  db: Knex,
  refs: string[],
  p: PeriodBounds,
): Promise<any[]> {
  if (!refs.length) return [];
  // By subject only, the kind checked here: see registrationEntries.
  const rows = await db('nhi_ledger')
    .whereIn('subject', refs)
    .andWhere('recorded_at', '<', p.to)
    .orderBy('seq')
    .select('subject', 'kind', 'recorded_at', 'payload');
  return rows.filter((r: any) => r.kind === 'status.changed');
}
