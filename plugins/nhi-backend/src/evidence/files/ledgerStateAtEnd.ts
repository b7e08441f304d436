import type { ApprovalRecord } from '@nhi-governance/plugin-nhi-common';
import type { NhiStores } from '../../database/NhiStores';
import type { IdentityRecord } from '../../engine/types';
import type { LedgerSlice, PeriodBounds } from '../store/EvidenceStore';

/** An identity as the ledger recorded it when the period ended. */
export interface StateAtEnd {
  /** What its latest identity.registered or identity.changed entry recorded. */
  record?: IdentityRecord;
  /** The security queue's latest decision: an approval, or none after a send-back. */
  approval?: { approvedBy: string; approvedAt: string; ticket?: string };
}

const approvalOf = (payload: Partial<ApprovalRecord>) =>
  payload.decision === 'approved'
    ? {
        approvedBy: payload.decidedBy!,
        approvedAt: payload.decidedAt!,
        ...(payload.ticket ? { ticket: payload.ticket } : {}),
      }
    : undefined;

/**
 * The latest registration and approval entries of these identities before `beforeSeq` and
 * recorded before `end`: an entry after the period is passed over for the one before it (only
 * the slice's closing entry, or one a concurrent writer numbered out of time order, can be).
 */
async function entriesBeforeEnd(
  stores: NhiStores,
  refs: string[],
  beforeSeq: number,
  end: number,
): Promise<any[]> {
  const rows = await stores.evidence.registrationEntries(refs, beforeSeq);
  const late = new Map<string, number>();
  for (const r of rows) {
    if (Date.parse(r.recorded_at) < end) continue;
    late.set(r.subject, Math.min(late.get(r.subject) ?? Infinity, +r.seq));
  }
  const kept = rows.filter(r => !late.has(r.subject));
  for (const [ref, seq] of late) {
    kept.push(...(await entriesBeforeEnd(stores, [ref], seq, end)));
  }
  return kept;
}

/**
 * What the ledger recorded of each of these identities up to the end of the period: the
 * package's ledger files hold exactly these entries, so the verifier can check inventory.csv
 * against them.
 */
export async function ledgerStateAtEnd(
  stores: NhiStores,
  refs: string[],
  period: PeriodBounds,
  slice: LedgerSlice | undefined,
): Promise<Map<string, StateAtEnd>> {
  const states = new Map<string, StateAtEnd>();
  if (!slice) return states;
  const rows = await entriesBeforeEnd(
    stores,
    refs,
    slice.last + 1,
    Date.parse(period.to),
  );
  for (const r of rows) {
    const state = states.get(r.subject) ?? {};
    const payload = JSON.parse(r.payload);
    if (r.kind === 'identity.approved') state.approval = approvalOf(payload);
    else if (r.kind !== 'identity.sent-back') state.record = payload.identity;
    states.set(r.subject, state);
  }
  return states;
}
