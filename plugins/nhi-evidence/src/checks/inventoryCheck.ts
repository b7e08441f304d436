import { EVIDENCE_FILES } from '@nhi-governance/plugin-nhi-common';
import type { IdentityAtEnd } from '../ledgerIndex';
import { CheckContext, CsvCheck, Differences, cellText } from './cells';

const file = EVIDENCE_FILES.inventory.name;

/** A list the exporter writes as one cell, items separated by "; ". */
const listCell = (v: unknown) =>
  Array.isArray(v) ? v.join('; ') : (v as string | undefined);

/** Each column the registration vouches for, and the field of the recorded identity it shows. */
const RECORDED: Array<[column: string, field: string]> = [
  ['owner', 'owner'],
  ['backup_owner', 'backupOwner'],
  ['purpose', 'purpose'],
  ['type', 'type'],
  ['environment', 'environment'],
  ['provider', 'provider'],
  ['external_id', 'externalId'],
  ['scopes', 'scopes'],
  ['privilege', 'privilege'],
  ['used_by', 'usedBy'],
  ['system', 'system'],
  ['created_at', 'createdAt'],
];

const APPROVAL_COLUMNS = ['approved_by', 'approved_at', 'approval_ticket'];

/** The identity's cells against the entry that last registered or changed it. */
function checkRecord(
  ctx: CheckContext,
  cells: Record<string, string>,
  row: number,
  identity: string,
  state: IdentityAtEnd,
) {
  const diff = new Differences();
  for (const [column, field] of RECORDED) {
    diff.cell(column, cells[column], listCell(state.record![field]));
  }
  diff.report(ctx, { file, row }, state.recordSeq!, `identity ${identity}`);
}

/**
 * The approval cells: the one the identity declares, as its registration recorded it; otherwise
 * the security queue's latest decision before the end of the period (none after a send-back).
 */
function checkApproval(
  ctx: CheckContext,
  cells: Record<string, string>,
  row: number,
  identity: string,
  state: IdentityAtEnd,
) {
  const declared = state.record!.approval;
  const approval = declared ?? state.approval;
  const diff = new Differences();
  diff.cell('approved_by', cells.approved_by, approval?.approvedBy);
  diff.cell('approved_at', cells.approved_at, approval?.approvedAt);
  diff.cell('approval_ticket', cells.approval_ticket, approval?.ticket);
  const seq =
    declared || state.approvalSeq === undefined
      ? state.recordSeq!
      : state.approvalSeq;
  diff.report(ctx, { file, row }, seq, `the approval of ${identity}`);
}

/**
 * inventory.csv: every identity is one the ledger registered, and every one it registered in the
 * period is shown; and each row shows the identity as the ledger recorded it up to the end of
 * the period: what its latest registration or change recorded, and its approval.
 */
export function inventoryCheck(ctx: CheckContext): CsvCheck {
  return {
    columns: [
      'identity',
      ...RECORDED.map(([column]) => column),
      ...APPROVAL_COLUMNS,
    ],
    row(cells, row) {
      const identity = cellText(cells.identity);
      ctx.checked.identities++;
      ctx.inventory.add(identity);
      if (!identity) {
        ctx.fail({ file, row, reason: 'names no identity' });
        return;
      }
      const state = ctx.index.atEnd.get(identity);
      if (!ctx.index.registered.has(identity) || !state?.record) {
        ctx.fail({
          file,
          row,
          reason: `identity ${identity} has no identity.registered or identity.changed entry in ${
            ctx.identitiesRead
              ? 'ledger-identities.jsonl or ledger.jsonl'
              : 'ledger.jsonl (and ledger-identities.jsonl could not be read)'
          }`,
        });
        return;
      }
      checkRecord(ctx, cells, row, identity, state);
      checkApproval(ctx, cells, row, identity, state);
    },
    end() {
      for (const [identity, seq] of ctx.index.registeredInPeriod) {
        if (ctx.inventory.has(identity)) continue;
        ctx.fail({
          file,
          seq,
          reason: `ledger entry ${seq} registers ${identity} within the period, which ${file} does not show`,
        });
      }
    },
  };
}
