import type { IdentityStatus } from '@nhi-governance/plugin-nhi-common';
import { builtInFindingDefinition } from '@nhi-governance/plugin-nhi-common';
import type { NhiStores } from '../../database/NhiStores';
import { StoredStatus, toStoredStatus } from '../../engine/storedStatus';
import type { LedgerDraft } from '../../ledger/LedgerDraft';
import {
  RollupAccumulator,
  isCompliant,
  profileOf,
  rollupSubject,
} from '../../rollups/rollupFigures';
import { statusChange } from '../statusChange';
import type { RecomputeRow } from '../store/RecomputeRow';
import type { StatusStore, StatusWrite } from '../store/StatusStore';
import type { Evaluation, RecomputeResult } from './types';

type FindingChanges = Parameters<StatusStore['applyFindingChanges']>;

/**
 * When each finding opened: as stored while it stays, now when it is new or comes back from an
 * exception that expired.
 */
function openedSince(
  before: StoredStatus | undefined,
  status: IdentityStatus,
  at: string,
) {
  const was = new Map(before?.findings.map(f => [f.code, f]));
  const excepted = new Set(
    status.findings.filter(f => f.exception).map(f => f.code),
  );
  return (code: string) => {
    const b = was.get(code as StoredStatus['findings'][number]['code']);
    return b && !(b.exception && !excepted.has(b.code)) ? b.openedAt : at;
  };
}

/** What a page writes, gathered identity by identity. */
class PageWrites {
  readonly statuses: StatusWrite[] = [];
  readonly opened: FindingChanges[0] = [];
  readonly closed: FindingChanges[1] = [];
  readonly changes: LedgerDraft[] = [];
  readonly differences = new RollupAccumulator();

  constructor(
    private readonly at: string,
    private readonly result: RecomputeResult,
    private readonly rebuilt?: RollupAccumulator,
  ) {}

  add(row: RecomputeRow, { status, inputs, validUntil }: Evaluation) {
    if (!status) {
      this.result.skipped++;
      if (this.rebuilt && row.storedSubject)
        this.rebuilt.add(row.storedSubject);
      return;
    }
    const { record, statusText } = row;
    const before: StoredStatus | undefined = statusText
      ? JSON.parse(statusText)
      : undefined;
    const stored = toStoredStatus(status, openedSince(before, status, this.at));
    this.count(row, rollupSubject(record, stored));
    const text = JSON.stringify(stored);
    const same = text === statusText;
    // Nothing to write when the status, what it came from and how long it holds are as stored.
    if (same && inputs === row.statusInputs && validUntil === row.validUntil)
      return;
    this.statuses.push({
      ref: record.ref,
      stored,
      text,
      compliant: isCompliant(stored),
      inputs,
      validUntil,
    });
    if (!same) this.recordChange(record.ref, before, stored);
  }

  /** What the identity counts as in the rollups, or how that moved. */
  private count(row: RecomputeRow, subject: ReturnType<typeof rollupSubject>) {
    if (this.rebuilt) this.rebuilt.add(subject);
    else if (
      !row.storedSubject ||
      profileOf(row.storedSubject) !== profileOf(subject)
    ) {
      // Not counted yet (new, or changed by a sync), or counted under another profile.
      if (row.storedSubject) this.differences.add(row.storedSubject, -1);
      this.differences.add(subject);
    }
  }

  private recordChange(
    ref: string,
    before: StoredStatus | undefined,
    stored: StoredStatus,
  ) {
    const change = statusChange(ref, before, stored);
    if (!change) return;
    this.changes.push(change.draft);
    for (const f of change.opened) {
      this.opened.push({
        identity_ref: ref,
        code: f.code,
        severity:
          builtInFindingDefinition(f.code)?.severity ??
          f.definition?.severity ??
          'medium',
        opened_at: f.openedAt,
      });
    }
    for (const code of change.closed) {
      this.closed.push({ identity_ref: ref, code });
    }
    if (change.moved) this.result.statusChanges++;
  }
}

/**
 * Writes a page's evaluations: the statuses that changed (or whose inputs or validity did),
 * the findings opened and closed, the rollup differences and a ledger entry per change, in
 * the page's transaction.
 */
export async function writePage(
  trx: NhiStores,
  page: RecomputeRow[],
  evaluations: Evaluation[],
  at: string,
  result: RecomputeResult,
  /** Given when the rollups are rebuilt: every status visited is added to it. */
  rebuilt?: RollupAccumulator,
) {
  const writes = new PageWrites(at, result, rebuilt);
  page.forEach((row, i) => writes.add(row, evaluations[i]));
  result.findingsOpened += writes.opened.length;
  result.findingsClosed += writes.closed.length;
  await trx.status.saveStatuses(writes.statuses, at);
  await trx.status.applyFindingChanges(writes.opened, writes.closed);
  await trx.rollups.adjustRollups(writes.differences.result());
  await trx.ledger.appendLedgerEntries(writes.changes, at);
}
